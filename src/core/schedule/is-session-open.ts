import type { ExchangeCalendar } from './exchange-calendars.ts'
import { tradingSessions } from './trading-sessions.ts'

/** Whether the exchange is in continuous trading at `nowMs` (not on a weekend, holiday or lunch break). */
export function isSessionOpen(calendar: ExchangeCalendar, nowMs: number): boolean {
  return tradingSessions(calendar, nowMs, 3).some(
    (session) => session.openMs <= nowMs && nowMs < session.closeMs,
  )
}
