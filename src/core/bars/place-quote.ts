import { INTERVAL_MS } from '../contracts/primitives.ts'
import type { Quote } from '../contracts/quote.ts'
import { barStart } from './bar-start.ts'
import type { BarConfig } from './resolve-bar-config.ts'

const DAY_MS = INTERVAL_MS['1d']

/**
 * Where a quote lands, on the bars' time axis: true instants for intraday bars; for daily bars the
 * exchange's wall clock read as UTC, so that a day's bar starts at 00:00 UTC of its trading date,
 * as every provider labels daily bars (src/core/providers/daily-bar-start.ts).
 */
export interface QuotePlacement {
  readonly start: number
  readonly end: number
  /** The quote's own time on that axis: its asOf, shifted to the wall clock for daily bars. */
  readonly atMs: number
  /** The time up to which the quote speaks: a snapshot its asOf, a bar quote its end (capped at the bar's). */
  readonly eventEndMs: number
  /**
   * Whether the quote's open/high/low describe the target bar: always for a bar quote; for a
   * snapshot only when building daily bars, since a snapshot's open/high/low are the day's.
   */
  readonly isOhlcUsable: boolean
}

/** Places a quote whose (bar) interval `spanMs` has been checked to fit the configured bars. */
export function placeQuote(quote: Quote, spanMs: number, config: BarConfig): QuotePlacement {
  const isDaily = config.interval === '1d'
  // A daily bar quote's asOf is already its trading date at 00:00 UTC: a label, not an instant.
  const isDateLabel = quote.kind === 'bar' && quote.interval === '1d'
  const atMs = isDaily && !isDateLabel ? quote.asOf + config.utcOffsetMs : quote.asOf
  const start = isDaily ? barStart(atMs, DAY_MS, 0) : barStart(atMs, config.intervalMs, config.utcOffsetMs)
  const end = start + config.intervalMs
  return {
    start,
    end,
    atMs,
    eventEndMs: Math.min(atMs + spanMs, end),
    isOhlcUsable: quote.kind === 'bar' || isDaily,
  }
}
