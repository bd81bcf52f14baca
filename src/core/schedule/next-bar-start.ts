import { INTERVAL_MS, type Interval } from '../contracts/primitives.ts'
import { perCalendar, type ExchangeCalendar } from './exchange-calendars.ts'
import { sessionAfter, sessionAt } from './session-at.ts'
import { sessionsOn } from './trading-sessions.ts'

const DAY_MS = INTERVAL_MS['1d']
const SEARCH_DAYS = 400
const CACHE_LIMIT = 20_000
/** Whether a date label is a trading day, per calendar: the trainer asks once per row. */
const tradingDays = new WeakMap<ExchangeCalendar, Map<number, boolean>>()
const newMap = (): Map<number, boolean> => new Map()

function isTradingDay(calendar: ExchangeCalendar, dayMs: number): boolean {
  const days = perCalendar(tradingDays, calendar, newMap)
  let isTrading = days.get(dayMs)
  if (isTrading === undefined) {
    isTrading = sessionsOn(calendar, dayMs).length > 0
    if (days.size >= CACHE_LIMIT) days.clear()
    days.set(dayMs, isTrading)
  }
  return isTrading
}

/**
 * The start of the bar that follows the bar starting at `barStartMs`, on the exchange's calendar.
 * Daily bars are labelled 00:00 UTC of their local trading date (src/core/bars/README.md): the
 * next one is the next trading date's label, past weekends and holidays. Intraday bars lie on the
 * session grid (session open + k × interval, the last one cut at the close, session-bar.ts): the
 * next one is the first grid start at or after `barStartMs` + the interval inside a session, or
 * else the next session's open, past the close, the lunch break, weekends and holidays. So a bar
 * off the grid (an hour bar starting 15:00 New York time) is followed by the first grid bar after
 * its nominal end (the next day's 09:30). With no session within a year (an impossible calendar)
 * it is `barStartMs` + the interval.
 */
export function nextBarStart(calendar: ExchangeCalendar, interval: Interval, barStartMs: number): number {
  const intervalMs = INTERVAL_MS[interval]
  const endMs = barStartMs + intervalMs
  if (interval === '1d') {
    for (let ahead = 1; ahead <= SEARCH_DAYS; ahead++) {
      const dayMs = barStartMs + ahead * DAY_MS
      if (isTradingDay(calendar, dayMs)) return dayMs
    }
    return endMs
  }
  const session = sessionAt(calendar, endMs)
  if (session !== null && endMs < session.closeMs) {
    const next = session.openMs + Math.ceil((endMs - session.openMs) / intervalMs) * intervalMs
    if (next < session.closeMs) return next
  }
  return sessionAfter(calendar, endMs - 1)?.openMs ?? endMs
}
