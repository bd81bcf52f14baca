import type { Bar } from '../contracts/bar.ts'
import { INTERVAL_MS } from '../contracts/primitives.ts'
import type { Quote } from '../contracts/quote.ts'
import type { BarBuilderState, OpenBar } from './bar-builder-state.ts'
import { closeDueBarsOnAxis } from './close-due-bars.ts'
import { hashId } from './hash-id.ts'
import { mergeQuote } from './merge-quote.ts'
import { placeQuote } from './place-quote.ts'
import type { BarConfig } from './resolve-bar-config.ts'

export const REJECTION_KINDS = ['late', 'duplicate', 'invalid'] as const
export type RejectionKind = (typeof REJECTION_KINDS)[number]

/** Why a quote was not used: the processor dead-letters it with this reason and counts it by kind. */
export interface QuoteRejection {
  readonly kind: RejectionKind
  readonly reason: string
}

export interface ApplyQuoteResult {
  readonly state: BarBuilderState
  /** Bars this quote completed, oldest first (usually none, sometimes one). */
  readonly completed: readonly Bar[]
  readonly rejected: QuoteRejection | null
}

const NO_BARS: readonly Bar[] = Object.freeze([])
const iso = (ms: number): string => new Date(ms).toISOString()

function reject(state: BarBuilderState, kind: RejectionKind, reason: string): ApplyQuoteResult {
  return { state, completed: NO_BARS, rejected: { kind, reason } }
}

/**
 * Applies one validated quote to a symbol's bar builder, in event time. Checks, in order: the
 * quote is usable (its symbol, asOf not after fetchedAt beyond the allowed skew, a bar quote no
 * coarser than the bars built), not a duplicate of a recently seen id, not late (its bar already
 * closed). An accepted quote is merged into its bar, and every bar the new event-time watermark
 * has passed is closed and returned. A rejected quote leaves the state as it was.
 * Pure: `state` is not modified.
 */
export function applyQuote(state: BarBuilderState, quote: Quote, config: BarConfig): ApplyQuoteResult {
  if (quote.symbol !== state.symbol) {
    return reject(state, 'invalid', `quote for ${quote.symbol} reached the bar builder of ${state.symbol}`)
  }
  // A daily bar quote's asOf is its date at 00:00 UTC; its day began at local midnight.
  const asOfInstant =
    quote.kind === 'bar' && quote.interval === '1d' ? quote.asOf - config.utcOffsetMs : quote.asOf
  if (asOfInstant > quote.fetchedAt + config.maxClockSkewMs) {
    return reject(state, 'invalid', `asOf ${iso(quote.asOf)} is after fetchedAt ${iso(quote.fetchedAt)}`)
  }
  let spanMs = 0
  if (quote.kind === 'bar') {
    if (quote.interval === undefined) return reject(state, 'invalid', 'a bar quote needs an interval')
    spanMs = INTERVAL_MS[quote.interval]
    if (spanMs > config.intervalMs || config.intervalMs % spanMs !== 0) {
      return reject(
        state,
        'invalid',
        `a ${quote.interval} bar cannot be aggregated into ${config.interval} bars`,
      )
    }
  }
  const idHash = hashId(quote.id)
  if (state.recentIds.includes(idHash))
    return reject(state, 'duplicate', `quote id "${quote.id}" was already applied`)
  const at = placeQuote(quote, spanMs, config)
  if (state.closedThroughMs !== null && at.start < state.closedThroughMs) {
    return reject(
      state,
      'late',
      `quote at ${iso(quote.asOf)} is for the ${describeBar(at.start, config)}, already closed ` +
        `(the last closed bar is the ${describeBar(state.closedThroughMs - config.intervalMs, config)})`,
    )
  }
  const open = withBar(state.open, mergeQuote(findBar(state.open, at.start), quote, at))
  const eventTimeMs = state.eventTimeMs === null ? at.eventEndMs : Math.max(state.eventTimeMs, at.eventEndMs)
  let recentIds: number[]
  let recentIdsNext = state.recentIdsNext
  if (state.recentIds.length < config.dedupCapacity) {
    recentIds = [...state.recentIds, idHash]
  } else {
    recentIds = state.recentIds.slice()
    recentIds[recentIdsNext % recentIds.length] = idHash
    recentIdsNext = (recentIdsNext + 1) % recentIds.length
  }
  const merged: BarBuilderState = { ...state, open, eventTimeMs, recentIds, recentIdsNext }
  const closed = closeDueBarsOnAxis(merged, eventTimeMs - config.allowedLatenessMs, config)
  return { state: closed.state, completed: closed.completed, rejected: null }
}

function describeBar(start: number, config: BarConfig): string {
  return config.interval === '1d'
    ? `1d bar of ${iso(start).slice(0, 10)}`
    : `${config.interval} bar starting ${iso(start)}`
}

function findBar(open: readonly OpenBar[], start: number): OpenBar | undefined {
  for (const bar of open) if (bar.start === start) return bar
  return undefined
}

/** Replaces the bar with the same start, or inserts it in start order. */
function withBar(open: readonly OpenBar[], bar: OpenBar): OpenBar[] {
  const result: OpenBar[] = []
  let isPlaced = false
  for (const other of open) {
    if (!isPlaced && other.start >= bar.start) {
      result.push(bar)
      isPlaced = true
      if (other.start === bar.start) continue
    }
    result.push(other)
  }
  if (!isPlaced) result.push(bar)
  return result
}
