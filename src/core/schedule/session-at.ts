import type { ExchangeCalendar } from './exchange-calendars.ts'
import { sessionsOn, type TradingSession } from './trading-sessions.ts'
import { zonedParts } from './zoned-parts.ts'

const DAY_MS = 86_400_000
/** How far to look for a session: a year, far beyond any real closure. */
const SEARCH_DAYS = 400
/** The session the last lookup found, per calendar: quotes and rows come in runs inside one session. */
const lastFound = new WeakMap<ExchangeCalendar, TradingSession>()

function localDayUtc(calendar: ExchangeCalendar, atMs: number): number {
  const local = zonedParts(atMs, calendar.timeZone)
  return Date.UTC(local.year, local.month - 1, local.day)
}

/**
 * The latest session that opened at or before `atMs`: the one open at that instant, or else the
 * last one before it (after its close, over a lunch break, a night, a weekend). Null when there is
 * none within a year before.
 */
export function sessionAt(calendar: ExchangeCalendar, atMs: number): TradingSession | null {
  const last = lastFound.get(calendar)
  if (last !== undefined && last.openMs <= atMs && atMs < last.closeMs) return last
  const dayMs = localDayUtc(calendar, atMs)
  for (let back = 0; back <= SEARCH_DAYS; back++) {
    const sessions = sessionsOn(calendar, dayMs - back * DAY_MS)
    for (let index = sessions.length - 1; index >= 0; index--) {
      const session = sessions[index]
      if (session === undefined || session.openMs > atMs) continue
      lastFound.set(calendar, session)
      return session
    }
  }
  return null
}

/** The first session that opens after `afterMs`; null when there is none within a year. */
export function sessionAfter(calendar: ExchangeCalendar, afterMs: number): TradingSession | null {
  const dayMs = localDayUtc(calendar, afterMs)
  for (let ahead = 0; ahead <= SEARCH_DAYS; ahead++) {
    for (const session of sessionsOn(calendar, dayMs + ahead * DAY_MS)) {
      if (session.openMs > afterMs) return session
    }
  }
  return null
}
