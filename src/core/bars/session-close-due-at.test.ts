import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from '../schedule/exchange-calendars.ts'
import { resolveBarConfig } from './resolve-bar-config.ts'
import { isDueOnSession, sessionCloseDueAt } from './session-close-due-at.ts'

const daily = resolveBarConfig({ interval: '1d' })
const hourly = resolveBarConfig({ interval: '1h' })
if (!daily.ok || !hourly.ok) throw new Error('bar config')
const GRACE_MS = 300_000
const dayBar = (date: string) => {
  const start = Date.parse(`${date}T00:00:00Z`)
  return { start, end: start + 86_400_000 }
}
const iso = (ms: number): string => new Date(ms).toISOString()

test('a daily bar is due at its date’s session close on the exchange calendar plus the grace', () => {
  const cases = [
    // A winter and a summer New York close (16:00 EST / EDT).
    { exchange: 'US', date: '2026-12-01', due: '2026-12-01T21:05:00.000Z' },
    { exchange: 'US', date: '2026-07-01', due: '2026-07-01T20:05:00.000Z' },
    // Manila: the afternoon session's close (15:00 PHT), not the lunch break.
    { exchange: 'PSE', date: '2026-12-01', due: '2026-12-01T07:05:00.000Z' },
    // No session (a Saturday, Thanksgiving): the end of the date plus the grace.
    { exchange: 'US', date: '2026-12-05', due: '2026-12-06T00:05:00.000Z' },
    { exchange: 'US', date: '2026-11-26', due: '2026-11-27T00:05:00.000Z' },
  ] as const
  for (const { exchange, date, due } of cases) {
    const dueMs = sessionCloseDueAt(dayBar(date), EXCHANGE_CALENDARS[exchange], daily.value, GRACE_MS)
    assert.equal(iso(dueMs), due, `${exchange} ${date}`)
  }
})

test('an intraday bar is due at its end plus the grace', () => {
  const start = Date.parse('2026-12-01T15:00:00Z')
  const dueMs = sessionCloseDueAt(
    { start, end: start + 3_600_000 },
    EXCHANGE_CALENDARS.US,
    hourly.value,
    GRACE_MS,
  )
  assert.equal(iso(dueMs), '2026-12-01T16:05:00.000Z')
})

test('a bar closes on the session clock once due, and never when its due time is older than the horizon', () => {
  const dueMs = Date.parse('2026-12-01T21:05:00Z')
  const horizonMs = 4 * 86_400_000
  const cases = [
    { nowMs: dueMs - 1, expected: false },
    { nowMs: dueMs, expected: true },
    { nowMs: dueMs + horizonMs, expected: true },
    { nowMs: dueMs + horizonMs + 1, expected: false },
  ]
  for (const { nowMs, expected } of cases)
    assert.equal(isDueOnSession(dueMs, nowMs, horizonMs), expected, iso(nowMs))
})
