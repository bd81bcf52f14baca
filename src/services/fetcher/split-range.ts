import type { HistoryLimit } from './history-limits.ts'
import type { TimeRange } from './providers/provider.ts'

export interface SplitRange {
  /** Consecutive windows covering what the provider serves of the range, oldest first. */
  readonly windows: readonly TimeRange[]
  /** The older part of the range the provider no longer serves, if any. */
  readonly unavailable?: TimeRange
}

/**
 * Cuts a closed range into windows no longer than the provider allows, after dropping the part
 * older than it keeps. Windows start at the range's start and every `maxSpanMs` after it.
 */
export function splitRange(range: TimeRange, limit: HistoryLimit, nowMs: number): SplitRange {
  const oldest = limit.maxAgeMs === undefined ? range.fromMs : nowMs - limit.maxAgeMs
  const fromMs = Math.max(range.fromMs, oldest)
  const unavailable =
    fromMs > range.fromMs ? { fromMs: range.fromMs, toMs: Math.min(range.toMs, fromMs - 1) } : undefined
  const windows: TimeRange[] = []
  for (let start = fromMs; start <= range.toMs; start += limit.maxSpanMs) {
    windows.push({ fromMs: start, toMs: Math.min(range.toMs, start + limit.maxSpanMs - 1) })
  }
  return unavailable === undefined ? { windows } : { windows, unavailable }
}
