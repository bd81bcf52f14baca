import type { Bar } from '../contracts/bar.ts'
import { INTERVAL_MS } from '../contracts/primitives.ts'
import type { Quote } from '../contracts/quote.ts'
import type { BarBuilderState, OpenBar } from './bar-builder-state.ts'
import { closeDueBarsOnAxis } from './close-due-bars.ts'
import { barFingerprint } from './bar-fingerprint.ts'
import { hashId } from './hash-id.ts'
import { mergeQuote } from './merge-quote.ts'
import { placeQuote } from './place-quote.ts'
import { rememberHash } from './remember-hash.ts'
import type { BarConfig } from './resolve-bar-config.ts'

export const REJECTION_KINDS = ['late', 'invalid'] as const
export type RejectionKind = (typeof REJECTION_KINDS)[number]

/** Why a quote was not used: the processor dead-letters it with this reason and counts it by kind. */
export interface QuoteRejection {
  readonly kind: RejectionKind
  readonly reason: string
}

/**
 * Why a quote was dropped as already applied, not dead-lettered: `quote`, its id is among the
 * recently applied ones (the same source, symbol, slot and asOf); `bar`, a bar quote identical to a
 * recently closed bar; `history`, a bar quote for a period closed more than `dedupCapacity / 2`
 * intervals before the last closed bar, too old to compare (a re-run backfill).
 */
export const DUPLICATE_KINDS = ['quote', 'bar', 'history'] as const
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number]

export interface ApplyQuoteResult {
  /** The state passed in, changed in place (untouched when the quote is rejected). */
  readonly state: BarBuilderState
  /** Bars this quote completed, oldest first (usually none, sometimes one). */
  readonly completed: readonly Bar[]
  readonly rejected: QuoteRejection | null
  /** Set when the quote was dropped as already applied (state untouched, not a rejection). */
  readonly duplicate: DuplicateKind | null
}

const NO_BARS: readonly Bar[] = Object.freeze([])
const iso = (ms: number): string => new Date(ms).toISOString()

function reject(state: BarBuilderState, kind: RejectionKind, reason: string): ApplyQuoteResult {
  return { state, completed: NO_BARS, rejected: { kind, reason }, duplicate: null }
}

function drop(state: BarBuilderState, kind: DuplicateKind): ApplyQuoteResult {
  return { state, completed: NO_BARS, rejected: null, duplicate: kind }
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
  if (state.recentIds.includes(idHash)) return drop(state, 'quote')
  const at = placeQuote(quote, spanMs, config)
  if (state.closedThroughMs !== null && at.start < state.closedThroughMs) {
    if (quote.kind === 'bar') {
      if (state.recentIds.includes(fingerprintOf(quote, at.start))) return drop(state, 'bar')
      // The ring holds at least the last capacity / 2 closed bars of a bar-quote stream (an id and
      // a fingerprint each), which span at least that many intervals: before them, nothing to compare.
      const comparableMs = Math.floor(config.dedupCapacity / 2) * config.intervalMs
      if (at.start < state.closedThroughMs - comparableMs) return drop(state, 'history')
    }
    const conflict = quote.kind === 'bar' ? ', and differs from what closed' : ''
    return reject(
      state,
      'late',
      `quote at ${iso(quote.asOf)} is for the ${describeBar(at.start, config)}, already closed${conflict} ` +
        `(the last closed bar is the ${describeBar(state.closedThroughMs - config.intervalMs, config)})`,
    )
  }
  const bar = findBar(state.open, at.start)
  const merged = mergeQuote(bar, quote, at)
  if (bar === undefined) insertBar(state.open, merged)
  const eventTimeMs = state.eventTimeMs === null ? at.eventEndMs : Math.max(state.eventTimeMs, at.eventEndMs)
  state.eventTimeMs = eventTimeMs
  rememberHash(state, idHash, config.dedupCapacity)
  const closed = closeDueBarsOnAxis(state, eventTimeMs - config.allowedLatenessMs, config)
  return { state, completed: closed.completed, rejected: null, duplicate: null }
}

/** The fingerprint of the bar that this bar quote alone would have closed (merge-quote.ts, close-due-bars.ts). */
function fingerprintOf(quote: Quote, start: number): number {
  const close = quote.price
  const open = quote.open ?? close
  const high = Math.max(quote.high ?? close, open, close)
  const low = Math.min(quote.low ?? close, open, close)
  return barFingerprint(start, open, high, low, close, quote.volume ?? 0)
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
