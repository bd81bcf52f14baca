import { INTERVAL_MS } from '../contracts/primitives.ts'
import type { ExchangeCalendar } from '../schedule/exchange-calendars.ts'
import { tradingSessions } from '../schedule/trading-sessions.ts'
import type { BarConfig } from './resolve-bar-config.ts'

const DAY_MS = INTERVAL_MS['1d']

/** An open bar's span on the bars' time axis (place-quote.ts). */
export interface BarSpan {
  readonly start: number
  readonly end: number
}

/**
 * The instant at which the wall clock closes an open bar in live mode: a daily bar of local date D
 * at the close of D's last session on the exchange's calendar plus `graceMs` (early closes and
 * holidays come from `tradingSessions`); a daily bar of a date with no session at the end of that
 * date plus the grace; an intraday bar at its end plus the grace.
 */
export function sessionCloseDueAt(
  bar: BarSpan,
  calendar: ExchangeCalendar,
  config: BarConfig,
  graceMs: number,
): number {
  if (config.interval !== '1d') return bar.end + graceMs
  const date = new Date(bar.start).toISOString().slice(0, 10)
  // Noon UTC of D is on local date D from UTC-12 to UTC+11, and the sessions start the day before.
  const sessions = tradingSessions(calendar, bar.start + DAY_MS / 2, 3)
  let closeMs: number | undefined
  for (const session of sessions) {
    if (session.date === date) closeMs = Math.max(closeMs ?? session.closeMs, session.closeMs)
  }
  return (closeMs ?? bar.end - config.utcOffsetMs) + graceMs
}

/**
 * Whether a bar due at `dueMs` closes at the wall-clock instant `nowMs`: once due, and only while
 * the due time is at most `horizonMs` old. Bars older than that are history (a replay of old
 * snapshots), which event time alone closes, as it always did.
 */
export function isDueOnSession(dueMs: number, nowMs: number, horizonMs: number): boolean {
  return nowMs >= dueMs && nowMs - dueMs <= horizonMs
}
