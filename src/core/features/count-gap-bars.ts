import { INTERVAL_MS } from '../contracts/primitives.ts'

const DAY_MS = INTERVAL_MS['1d']

/** Weekdays among the days before `day` (days since 1970-01-01), counted from Monday 1969-12-29. */
function weekdaysBefore(day: number): number {
  const sinceMonday = day + 3
  const weeks = Math.floor(sinceMonday / 7)
  return weeks * 5 + Math.min(sinceMonday - weeks * 7, 5)
}

/**
 * Bars missing between two consecutive bars. Intraday, every empty slot of the interval grid
 * counts (nights and weekends included: there is no session calendar yet). For daily bars, which
 * start at 00:00 UTC of their trading date, only weekdays count: a weekend is no gap, a holiday is one.
 */
export function countGapBars(previousStart: number, start: number, intervalMs: number): number {
  if (intervalMs !== DAY_MS) return Math.max(0, Math.round((start - previousStart) / intervalMs) - 1)
  const day = Math.floor(start / DAY_MS)
  return Math.max(0, weekdaysBefore(day) - weekdaysBefore(Math.floor(previousStart / DAY_MS) + 1))
}
