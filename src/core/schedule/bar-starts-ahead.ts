import type { Interval } from '../contracts/primitives.ts'
import type { ExchangeCalendar } from './exchange-calendars.ts'
import { nextBarStart } from './next-bar-start.ts'

/** The furthest bar ahead a caller may ask for: the longest published horizon. */
export const MAX_BARS_AHEAD = 20
const CACHE_LIMIT = 4_096

/**
 * Per calendar and interval, the starts of the next `MAX_BARS_AHEAD` bars after a bar start: every
 * symbol of a bar asks the same, and a forecast asks for several horizons.
 */
const cache = new WeakMap<ExchangeCalendar, Map<Interval, Map<number, Float64Array>>>()

/**
 * The start of the bar `bars` bars after the bar starting at `barStartMs` on the exchange's
 * calendar (`nextBarStart` applied `bars` times), for 1 ≤ bars ≤ `MAX_BARS_AHEAD`.
 */
export function barStartAhead(
  calendar: ExchangeCalendar,
  interval: Interval,
  barStartMs: number,
  bars: number,
): number {
  if (!Number.isInteger(bars) || bars < 1 || bars > MAX_BARS_AHEAD)
    throw new RangeError(`bars ahead must be an integer from 1 to ${MAX_BARS_AHEAD}, not ${bars}`)
  let intervals = cache.get(calendar)
  if (intervals === undefined) {
    intervals = new Map()
    cache.set(calendar, intervals)
  }
  let starts = intervals.get(interval)
  if (starts === undefined) {
    starts = new Map()
    intervals.set(interval, starts)
  }
  let ahead = starts.get(barStartMs)
  if (ahead === undefined) {
    ahead = new Float64Array(MAX_BARS_AHEAD)
    let at = barStartMs
    for (let k = 0; k < MAX_BARS_AHEAD; k++) {
      at = nextBarStart(calendar, interval, at)
      ahead[k] = at
    }
    if (starts.size >= CACHE_LIMIT) starts.clear()
    starts.set(barStartMs, ahead)
  }
  return ahead[bars - 1]!
}
