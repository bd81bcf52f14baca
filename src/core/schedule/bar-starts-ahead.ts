import type { Interval } from '../contracts/primitives.ts'
import type { ExchangeCalendar } from './exchange-calendars.ts'
import { nextBarStart } from './next-bar-start.ts'

/** The furthest bar ahead a caller may ask for: the longest published horizon. */
export const MAX_BARS_AHEAD = 20
const CACHE_LIMIT = 4_096

/**
 * Per calendar and interval, the starts of the next `MAX_BARS_AHEAD` bars after a bar start: every
 * symbol of a bar asks the same, and a forecast asks for several horizons. `last` is the newest
 * entry: a symbol replayed alone asks for the bar after it next, whose starts are its own shifted
 * by one, so a miss costs one `nextBarStart` rather than `MAX_BARS_AHEAD`.
 */
interface StartsAhead {
  /** Keyed by the bar start in minutes, which stays a small integer (a Smi) for V8. */
  readonly byStart: Map<number, readonly number[]>
  last: readonly number[] | undefined
}
const cache = new WeakMap<ExchangeCalendar, Map<Interval, StartsAhead>>()

function startsAfter(
  calendar: ExchangeCalendar,
  interval: Interval,
  barStartMs: number,
  last: readonly number[] | undefined,
): number[] {
  if (last?.[0] === barStartMs) {
    const ahead = last.slice(1)
    ahead.push(nextBarStart(calendar, interval, last[MAX_BARS_AHEAD - 1]!))
    return ahead
  }
  const ahead: number[] = []
  let at = barStartMs
  for (let k = 0; k < MAX_BARS_AHEAD; k++) {
    at = nextBarStart(calendar, interval, at)
    ahead.push(at)
  }
  return ahead
}

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
    starts = { byStart: new Map(), last: undefined }
    intervals.set(interval, starts)
  }
  const key = barStartMs / 60_000
  let ahead = starts.byStart.get(key)
  if (ahead === undefined) {
    ahead = startsAfter(calendar, interval, barStartMs, starts.last)
    if (starts.byStart.size >= CACHE_LIMIT) starts.byStart.clear()
    starts.byStart.set(key, ahead)
    starts.last = ahead
  }
  return ahead[bars - 1]!
}
