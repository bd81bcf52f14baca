import { perCalendar, type ExchangeCalendar } from './exchange-calendars.ts'
import { zonedParts } from './zoned-parts.ts'

const CACHE_LIMIT = 20_000
/** Hours by instant in minutes, per calendar: a forecast asks for the same bar starts bar after bar. */
const hours = new WeakMap<ExchangeCalendar, Map<number, number>>()
const newMap = (): Map<number, number> => new Map()

/**
 * The hour of the local clock (0–23) on the exchange's calendar at `atMs`: the same hour of the
 * trading day across daylight-saving changes. Cached per calendar, since the time-zone lookup is
 * the costliest part of a bar's dating.
 */
export function localHourOf(calendar: ExchangeCalendar, atMs: number): number {
  const cache = perCalendar(hours, calendar, newMap)
  const key = Math.floor(atMs / 60_000)
  let hour = cache.get(key)
  if (hour === undefined) {
    hour = zonedParts(atMs, calendar.timeZone).hour
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, hour)
  }
  return hour
}
