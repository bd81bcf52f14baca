import type { ExchangeCalendar } from './exchange-calendars.ts'
import { tradingSessions } from './trading-sessions.ts'

export interface FetchPlan {
  /** Every `intervalMs` while a session is open. */
  readonly intervalMs: number
  /** One more fetch this long after each session closes, to catch the closing price. */
  readonly afterCloseMs: number
}

/**
 * When a watching fetcher should fetch next: every interval during a session, once just after each
 * session closes, and otherwise not until the next session opens (weekends, holidays, the lunch break).
 */
export function nextFetchAt(calendar: ExchangeCalendar, nowMs: number, plan: FetchPlan): number {
  for (let horizonDays = 14; horizonDays <= 56; horizonDays *= 2) {
    for (const session of tradingSessions(calendar, nowMs, horizonDays)) {
      const settleMs = session.closeMs + plan.afterCloseMs
      if (nowMs < session.openMs) return session.openMs
      if (nowMs < session.closeMs) return Math.min(nowMs + plan.intervalMs, settleMs)
      if (nowMs < settleMs) return settleMs
    }
  }
  throw new Error(`no ${calendar.id} session within 56 days of ${new Date(nowMs).toISOString()}`)
}
