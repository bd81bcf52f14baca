import type { ExchangeCalendar } from '../schedule/exchange-calendars.ts'
import { sessionsOn } from '../schedule/trading-sessions.ts'
import type { BarConfig } from './resolve-bar-config.ts'
import type { BarSpan } from './session-bar.ts'

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
  // A daily bar's start is the 00:00 UTC label of its local date, which is what sessionsOn takes.
  const closeMs = sessionsOn(calendar, bar.start).at(-1)?.closeMs
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
