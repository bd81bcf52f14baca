import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { isSessionOpen } from './is-session-open.ts'

const { US, PSE } = EXCHANGE_CALENDARS

test('isSessionOpen knows hours, weekends, holidays and the PSE lunch break', () => {
  const cases = [
    [US, '2024-01-05T14:29:59Z', false, 'New York 9:29:59'],
    [US, '2024-01-05T14:30:00Z', true, 'New York 9:30 opens'],
    [US, '2024-01-05T20:59:59Z', true, 'New York 15:59:59'],
    [US, '2024-01-05T21:00:00Z', false, 'New York 16:00 closed'],
    [US, '2024-07-08T13:30:00Z', true, 'summer time: 9:30 EDT is 13:30 UTC'],
    [US, '2024-01-06T15:00:00Z', false, 'Saturday'],
    [US, '2024-12-25T15:00:00Z', false, 'Christmas'],
    [US, '2024-03-29T15:00:00Z', false, 'Good Friday'],
    [US, '2024-06-19T15:00:00Z', false, 'Juneteenth'],
    [US, '2024-11-29T17:59:59Z', true, 'day after Thanksgiving, 12:59:59'],
    [US, '2024-11-29T18:00:00Z', false, 'day after Thanksgiving: closed from 13:00'],
    [US, '2025-12-24T18:30:00Z', false, 'Christmas Eve 2025: closed from 13:00'],
    [PSE, '2022-10-14T01:29:00Z', false, 'Manila 9:29'],
    [PSE, '2022-10-14T01:30:00Z', true, 'Manila 9:30'],
    [PSE, '2022-10-14T04:00:00Z', false, 'Manila 12:00 lunch'],
    [PSE, '2022-10-14T04:59:59Z', false, 'Manila 12:59:59 lunch'],
    [PSE, '2022-10-14T05:00:00Z', true, 'Manila 13:00'],
    [PSE, '2022-10-14T06:50:00Z', true, 'Manila 14:50'],
    [PSE, '2022-10-14T07:00:00Z', false, 'Manila 15:00 closed'],
    [PSE, '2022-10-15T02:00:00Z', false, 'Manila Saturday'],
    [PSE, '2024-06-17T02:00:00Z', false, "Manila Eid'l Adha 2024"],
  ] as const
  for (const [calendar, at, expected, why] of cases) {
    assert.equal(isSessionOpen(calendar, Date.parse(at)), expected, why)
  }
})
