import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { nextFetchAt } from './next-fetch-at.ts'

const plan = { intervalMs: 60_000, afterCloseMs: 120_000 }
const next = (calendar: keyof typeof EXCHANGE_CALENDARS, at: string): string =>
  new Date(nextFetchAt(EXCHANGE_CALENDARS[calendar], Date.parse(at), plan)).toISOString()

test('nextFetchAt fetches every interval in a session, once after the close, then waits for the next open', () => {
  const cases = [
    ['US', '2024-01-05T15:00:00.000Z', '2024-01-05T15:01:00.000Z', 'in session: one interval later'],
    ['US', '2024-01-05T20:59:30.000Z', '2024-01-05T21:00:30.000Z', 'last minute still fetches'],
    ['US', '2024-01-05T21:00:30.000Z', '2024-01-05T21:02:00.000Z', 'after the close: the settle fetch'],
    ['US', '2024-01-05T21:02:00.000Z', '2024-01-08T14:30:00.000Z', 'Friday evening: Monday open'],
    ['US', '2024-01-06T12:00:00.000Z', '2024-01-08T14:30:00.000Z', 'Saturday: Monday open'],
    ['US', '2024-12-24T21:05:00.000Z', '2024-12-26T14:30:00.000Z', 'skips Christmas'],
    ['US', '2024-03-28T23:00:00.000Z', '2024-04-01T13:30:00.000Z', 'skips Good Friday and the weekend'],
    [
      'PSE',
      '2022-10-14T04:00:30.000Z',
      '2022-10-14T04:02:00.000Z',
      'Manila 12:00:30: settle after the morning',
    ],
    ['PSE', '2022-10-14T04:02:00.000Z', '2022-10-14T05:00:00.000Z', 'lunch break: wait for 13:00'],
    ['PSE', '2022-10-13T23:00:00.000Z', '2022-10-14T01:30:00.000Z', 'before the open'],
  ] as const
  for (const [calendar, at, expected, why] of cases) assert.equal(next(calendar, at), expected, why)
})
