import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { nyseEarlyCloseMinute } from './nyse-early-close.ts'
import { tradingSessions } from './trading-sessions.ts'

const { US } = EXCHANGE_CALENDARS

test('NYSE closes at 13:00 after Thanksgiving and on July 3 and December 24 when they are trading weekdays', () => {
  const cases = [
    ['2024-11-29', 780, 'day after Thanksgiving 2024'],
    ['2025-11-28', 780, 'day after Thanksgiving 2025'],
    ['2026-11-27', 780, 'day after Thanksgiving 2026'],
    ['2024-11-28', undefined, 'Thanksgiving itself is a holiday, not an early close'],
    ['2024-11-22', undefined, 'the Friday before'],
    ['2024-07-03', 780, 'Wednesday, July 3, 2024'],
    ['2025-07-03', 780, 'Thursday, July 3, 2025'],
    ['2026-07-03', undefined, 'Friday, July 3, 2026 is the observed Independence Day'],
    ['2026-07-02', undefined, 'the day before the observed holiday trades a full day'],
    ['2021-07-03', undefined, 'a Saturday'],
    ['2024-12-24', 780, 'Tuesday, Christmas Eve 2024'],
    ['2025-12-24', 780, 'Wednesday, Christmas Eve 2025'],
    ['2026-12-24', 780, 'Thursday, Christmas Eve 2026'],
    ['2021-12-24', undefined, 'Friday, December 24, 2021 is the observed Christmas'],
    ['2022-12-23', undefined, 'Christmas Eve 2022 is a Saturday: the Friday trades a full day'],
    ['2024-12-31', undefined, "New Year's Eve is a regular day"],
  ] as const
  for (const [date, expected, why] of cases) {
    assert.equal(nyseEarlyCloseMinute(date, US.isHoliday), expected, why)
    assert.equal(US.earlyCloseMinute?.(date), expected, `${why} (calendar)`)
  }
})

test('the session of an early-closing day ends at 13:00 New York time', () => {
  const sessions = tradingSessions(US, Date.parse('2024-11-27T15:00:00Z'), 5).map((session) => [
    session.date,
    new Date(session.openMs).toISOString(),
    new Date(session.closeMs).toISOString(),
  ])
  assert.deepEqual(sessions, [
    ['2024-11-26', '2024-11-26T14:30:00.000Z', '2024-11-26T21:00:00.000Z'],
    ['2024-11-27', '2024-11-27T14:30:00.000Z', '2024-11-27T21:00:00.000Z'],
    ['2024-11-29', '2024-11-29T14:30:00.000Z', '2024-11-29T18:00:00.000Z'],
  ])
  const july = tradingSessions(US, Date.parse('2025-07-03T12:00:00Z'), 2).map((session) =>
    new Date(session.closeMs).toISOString(),
  )
  assert.deepEqual(july, ['2025-07-02T20:00:00.000Z', '2025-07-03T17:00:00.000Z'])
})
