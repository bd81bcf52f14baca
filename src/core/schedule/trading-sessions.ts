import { perCalendar, type ExchangeCalendar } from './exchange-calendars.ts'
import { zonedParts } from './zoned-parts.ts'
import { zonedTimeToEpoch } from './zoned-time-to-epoch.ts'

export interface TradingSession {
  /** Local trading date, YYYY-MM-DD. */
  readonly date: string
  readonly openMs: number
  readonly closeMs: number
}

const DAY_MS = 86_400_000
const NO_SESSIONS: readonly TradingSession[] = Object.freeze([])
const CACHE_LIMIT = 20_000
/** Sessions by calendar and local date: the bar grid asks for the same few days per quote. */
const cache = new WeakMap<ExchangeCalendar, Map<string, readonly TradingSession[]>>()
const newMap = (): Map<string, readonly TradingSession[]> => new Map()

/**
 * The exchange's sessions on the `days` local dates starting with the one before `fromMs`, in order,
 * skipping weekends and known holidays. Starting a day early includes a session still open at `fromMs`.
 */
export function tradingSessions(calendar: ExchangeCalendar, fromMs: number, days = 14): TradingSession[] {
  const local = zonedParts(fromMs, calendar.timeZone)
  const firstDayUtc = Date.UTC(local.year, local.month - 1, local.day) - DAY_MS
  const sessions: TradingSession[] = []
  for (let index = 0; index < days; index++) {
    sessions.push(...sessionsOn(calendar, firstDayUtc + index * DAY_MS))
  }
  return sessions
}

/**
 * The sessions of one local date, given as its 00:00 UTC (the daily bar label): none on a weekend
 * or holiday, cut at the early close on an early-closing day. Frozen and cached per calendar.
 */
export function sessionsOn(calendar: ExchangeCalendar, dayUtcMs: number): readonly TradingSession[] {
  const byDate = perCalendar(cache, calendar, newMap)
  const day = new Date(dayUtcMs)
  const date = day.toISOString().slice(0, 10)
  const known = byDate.get(date)
  if (known !== undefined) return known
  const weekday = day.getUTCDay()
  let sessions = NO_SESSIONS
  if (weekday !== 0 && weekday !== 6 && !calendar.isHoliday(date)) {
    const wall = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }
    const earlyClose = calendar.earlyCloseMinute?.(date)
    const list: TradingSession[] = []
    for (const window of calendar.sessions) {
      const closeMinute = Math.min(window.closeMinute, earlyClose ?? window.closeMinute)
      if (closeMinute <= window.openMinute) continue
      list.push(
        Object.freeze({
          date,
          openMs: zonedTimeToEpoch({ ...wall, minute: window.openMinute }, calendar.timeZone),
          closeMs: zonedTimeToEpoch({ ...wall, minute: closeMinute }, calendar.timeZone),
        }),
      )
    }
    sessions = Object.freeze(list)
  }
  if (byDate.size >= CACHE_LIMIT) byDate.clear()
  byDate.set(date, sessions)
  return sessions
}
