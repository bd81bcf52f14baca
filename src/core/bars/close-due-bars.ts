import { BAR_SCHEMA_VERSION, type Bar } from '../contracts/bar.ts'
import { INTERVAL_MS } from '../contracts/primitives.ts'
import { barFingerprint } from './bar-fingerprint.ts'
import type { BarBuilderState } from './bar-builder-state.ts'
import { rememberHash } from './remember-hash.ts'
import type { BarConfig } from './resolve-bar-config.ts'

const DAY_MS = INTERVAL_MS['1d']
const NO_BARS: readonly Bar[] = Object.freeze([])

export interface CloseDueBarsResult {
  /** The state passed in, changed in place. */
  readonly state: BarBuilderState
  /** Bars completed by this call, oldest first; empty (and shared) when none. */
  readonly completed: readonly Bar[]
}

/**
 * Closes every open bar that ended at or before the instant `watermarkMs`. `applyQuote` does this
 * itself with the event-time watermark (furthest event time minus the allowed lateness); the
 * processor calls it with a clock or at a session close, so that the last bar of a session does
 * not wait for the next session's first quote. A daily bar ends at the exchange's local midnight.
 *
 * A bar built from snapshots gets the growth of the cumulative day volume since the previous
 * closed bar of the same exchange day; a bar with bar quotes in it gets the sum of their volumes.
 * Each closed bar's fingerprint joins the dedup ring, so that an identical re-sent bar quote is a
 * duplicate, not a late quote. Changes `state` in place, as `applyQuote` does; the completed bars
 * are new objects.
 */
export function closeDueBars(
  state: BarBuilderState,
  watermarkMs: number,
  config: BarConfig,
): CloseDueBarsResult {
  return closeDueBarsOnAxis(
    state,
    config.interval === '1d' ? watermarkMs + config.utcOffsetMs : watermarkMs,
    config,
  )
}

/** {@link closeDueBars} with the watermark on the bars' own time axis (see place-quote.ts). */
export function closeDueBarsOnAxis(
  state: BarBuilderState,
  watermarkMs: number,
  config: BarConfig,
): CloseDueBarsResult {
  const first = state.open[0]
  if (first === undefined || first.end > watermarkMs) return { state, completed: NO_BARS }
  const completed: Bar[] = []
  const open = state.open
  for (let bar = open[0]; bar !== undefined && bar.end <= watermarkMs; bar = open[0]) {
    open.shift()
    let volume = bar.barVolume
    if (bar.cumVolume !== null) {
      const day = Math.floor((config.interval === '1d' ? bar.start : bar.start + config.utcOffsetMs) / DAY_MS)
      const carry = state.volumeCarry
      const counted = carry !== null && carry.day === day ? carry.cumVolume : 0
      if (!bar.hasBarQuote) volume = Math.max(0, bar.cumVolume - counted)
      const cumVolume = Math.max(counted, bar.cumVolume)
      if (carry === null) state.volumeCarry = { day, cumVolume }
      else {
        carry.day = day
        carry.cumVolume = cumVolume
      }
    }
    completed.push({
      schema: BAR_SCHEMA_VERSION,
      symbol: state.symbol,
      interval: config.interval,
      start: bar.start,
      end: bar.end,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume,
      count: bar.count,
    })
    state.closedThroughMs = bar.end
    rememberHash(
      state,
      barFingerprint(bar.start, bar.open, bar.high, bar.low, bar.close, volume),
      config.dedupCapacity,
    )
  }
  return { state, completed }
}
