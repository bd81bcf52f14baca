import type { Interval } from '../../core/contracts/primitives.ts'

/** A bar's start as `evaluate` prints it: the date for daily bars, the UTC minute for intraday ones. */
export function formatInstant(ms: number, interval: Interval): string {
  const iso = new Date(ms).toISOString()
  return interval === '1d' ? iso.slice(0, 10) : `${iso.slice(0, 16)}Z`
}
