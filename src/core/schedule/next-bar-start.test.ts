import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Interval } from '../contracts/primitives.ts'
import { EXCHANGE_CALENDARS, type ExchangeId } from './exchange-calendars.ts'
import { nextBarStart } from './next-bar-start.ts'
import { withExtraClosures } from './with-extra-closures.ts'

const next = (exchange: ExchangeId, interval: Interval, start: string): string =>
  new Date(nextBarStart(EXCHANGE_CALENDARS[exchange], interval, Date.parse(start))).toISOString()

test('daily: the next trading session, past weekends and holidays', () => {
  const cases = [
    ['US', '2016-09-16', '2016-09-19', 'Friday → Monday'],
    ['US', '2024-01-03', '2024-01-04', 'Wednesday → Thursday'],
    ['US', '2025-08-29', '2025-09-02', 'Friday before Labor Day → Tuesday'],
    ['US', '2024-11-27', '2024-11-29', 'skips Thanksgiving; the early close still trades'],
    ['US', '2024-12-24', '2024-12-26', 'Christmas Eve → the day after Christmas'],
    ['US', '2024-03-28', '2024-04-01', 'Maundy Thursday → Monday after Good Friday'],
    ['PSE', '2024-04-08', '2024-04-11', 'Araw ng Kagitingan and Eid’l Fitr 2024'],
    ['PSE', '2025-04-16', '2025-04-21', 'Holy Week 2025'],
    ['PSE', '2026-12-23', '2026-12-28', 'Christmas Eve and Christmas 2026'],
    [
      'PSE',
      '2026-12-29',
      '2027-01-01',
      'past Rizal Day and New Year’s Eve to 1 January 2027: outside the table, a weekday counts as open',
    ],
  ] as const
  for (const [exchange, day, expected, why] of cases) {
    assert.equal(next(exchange, '1d', `${day}T00:00:00Z`), `${expected}T00:00:00.000Z`, why)
  }
})

test('intraday: the next bar inside a session, past the close, the lunch break, weekends and holidays', () => {
  const cases = [
    ['US', '1h', '2024-01-05T14:30:00Z', '2024-01-05T15:30:00.000Z', '09:30 → 10:30 New York'],
    ['US', '1h', '2024-01-05T19:30:00Z', '2024-01-05T20:30:00.000Z', '14:30 → the short 15:30 bar'],
    ['US', '1h', '2024-01-04T20:30:00Z', '2024-01-05T14:30:00.000Z', 'the 15:30 bar → the next 09:30'],
    [
      'US',
      '1h',
      '2024-01-04T20:00:00Z',
      '2024-01-05T14:30:00.000Z',
      'an off-grid 15:00 hour bar → the next 09:30',
    ],
    ['US', '1h', '2024-01-05T20:30:00Z', '2024-01-08T14:30:00.000Z', 'Friday 15:30 → Monday 09:30'],
    [
      'US',
      '1h',
      '2024-07-03T16:30:00Z',
      '2024-07-05T13:30:00.000Z',
      'the 12:30 bar of July 3 (early close) → July 5',
    ],
    [
      'US',
      '1h',
      '2024-11-29T17:30:00Z',
      '2024-12-02T14:30:00.000Z',
      'the 12:30 bar after Thanksgiving → Monday',
    ],
    ['US', '1m', '2024-01-05T20:59:00Z', '2024-01-08T14:30:00.000Z', 'the 15:59 minute → Monday 09:30'],
    ['US', '5m', '2024-07-08T13:30:00Z', '2024-07-08T13:35:00.000Z', 'summer time: 09:30 EDT → 09:35'],
    ['PSE', '1h', '2022-10-14T02:30:00Z', '2022-10-14T03:30:00.000Z', 'Manila 10:30 → 11:30'],
    ['PSE', '1h', '2022-10-14T03:30:00Z', '2022-10-14T05:00:00.000Z', 'Manila 11:30 → 13:00 after lunch'],
    ['PSE', '30m', '2022-10-14T03:30:00Z', '2022-10-14T05:00:00.000Z', 'Manila 11:30 half hour → 13:00'],
    ['PSE', '1h', '2022-10-14T06:00:00Z', '2022-10-17T01:30:00.000Z', 'Friday 14:00 → Monday 09:30'],
    [
      'PSE',
      '1h',
      '2024-04-08T06:00:00Z',
      '2024-04-11T01:30:00.000Z',
      'Monday 14:00 → Thursday past two holidays',
    ],
  ] as const
  for (const [exchange, interval, start, expected, why] of cases) {
    assert.equal(next(exchange, interval, start), expected, why)
  }
})

test('an extra closure moves the next session', () => {
  const us = withExtraClosures(EXCHANGE_CALENDARS.US, ['2025-01-09'])
  const day = (start: string): string =>
    new Date(nextBarStart(us, '1d', Date.parse(start))).toISOString().slice(0, 10)
  assert.equal(day('2025-01-08T00:00:00Z'), '2025-01-10', 'the national day of mourning for President Carter')
  assert.equal(next('US', '1d', '2025-01-08T00:00:00Z'), '2025-01-09T00:00:00.000Z', 'without it')
})
