import type { ExchangeCalendar } from './exchange-calendars.ts'
import { zonedParts } from './zoned-parts.ts'
import { zonedTimeToEpoch } from './zoned-time-to-epoch.ts'

export interface TradingSession {
  /** Local trading date, YYYY-MM-DD. */
  readonly date: string
  readonly openMs: number
  readonly closeMs: number
}

const DAY_MS = 86_400_000

/**
 * The exchange's sessions on the `days` local dates starting with the one before `fromMs`, in order,
 * skipping weekends and known holidays. Starting a day early includes a session still open at `fromMs`.
 */
export function tradingSessions(calendar: ExchangeCalendar, fromMs: number, days = 14): TradingSession[] {
  const local = zonedParts(fromMs, calendar.timeZone)
  const firstDayUtc = Date.UTC(local.year, local.month - 1, local.day) - DAY_MS
  const sessions: TradingSession[] = []
  for (let index = 0; index < days; index++) {
    const dayUtc = new Date(firstDayUtc + index * DAY_MS)
    const weekday = dayUtc.getUTCDay()
    const date = dayUtc.toISOString().slice(0, 10)
    if (weekday === 0 || weekday === 6 || calendar.isHoliday(date)) continue
    const wall = { year: dayUtc.getUTCFullYear(), month: dayUtc.getUTCMonth() + 1, day: dayUtc.getUTCDate() }
    for (const window of calendar.sessions) {
      sessions.push({
        date,
        openMs: zonedTimeToEpoch({ ...wall, minute: window.openMinute }, calendar.timeZone),
        closeMs: zonedTimeToEpoch({ ...wall, minute: window.closeMinute }, calendar.timeZone),
      })
    }
  }
  return sessions
}
