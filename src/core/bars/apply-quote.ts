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
  /** The state passed in, changed in place (untouched when the quote is rejected). */
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
 *
 * Changes `state` in place: its owner keeps one per symbol, and copying it for every quote made
 * the processor's garbage grow with the number of symbols. Every check runs before the first
 * write, so a rejection changes nothing; the completed bars are new objects, never part of the state.
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
  const bar = findBar(state.open, at.start)
  const merged = mergeQuote(bar, quote, at)
  if (bar === undefined) insertBar(state.open, merged)
  const eventTimeMs = state.eventTimeMs === null ? at.eventEndMs : Math.max(state.eventTimeMs, at.eventEndMs)
  state.eventTimeMs = eventTimeMs
  rememberId(state, idHash, config.dedupCapacity)
  const closed = closeDueBarsOnAxis(state, eventTimeMs - config.allowedLatenessMs, config)
  return { state, completed: closed.completed, rejected: null }
}

/** Adds an accepted id to the dedup ring: appended until the ring is full, then over the oldest. */
function rememberId(state: BarBuilderState, idHash: number, capacity: number): void {
  const ids = state.recentIds
  if (ids.length < capacity) {
    ids.push(idHash)
    // Full, the ring keeps its size for good: one copy drops the spare room `push` leaves behind.
    if (ids.length === capacity) state.recentIds = ids.slice()
    return
  }
  ids[state.recentIdsNext % ids.length] = idHash
  state.recentIdsNext = (state.recentIdsNext + 1) % ids.length
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

/** Inserts a bar whose start no open bar has, in start order. */
function insertBar(open: OpenBar[], bar: OpenBar): void {
  const at = open.findIndex((other) => other.start > bar.start)
  if (at === -1) open.push(bar)
  else open.splice(at, 0, bar)
}
