import { INTERVAL_MS } from '../contracts/primitives.ts'
import type { Quote } from '../contracts/quote.ts'
import { exchangeOfSymbol } from '../providers/exchange-of-symbol.ts'
import { barStart } from './bar-start.ts'
import type { BarConfig } from './resolve-bar-config.ts'
import { sessionBar } from './session-bar.ts'

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

/**
 * Places a quote whose (bar) interval `spanMs` has been checked to fit the configured bars. With
 * calendars, an intraday quote (a bar quote by its start) lands on the session grid of its
 * symbol's exchange (session-bar.ts), where the last bar of a session may be shorter.
 */
export function placeQuote(quote: Quote, spanMs: number, config: BarConfig): QuotePlacement {
  const isDaily = config.interval === '1d'
  // A daily bar quote's asOf is already its trading date at 00:00 UTC: a label, not an instant.
  const isDateLabel = quote.kind === 'bar' && quote.interval === '1d'
  const atMs = isDaily && !isDateLabel ? quote.asOf + config.utcOffsetMs : quote.asOf
  let start: number
  let end: number
  if (isDaily) {
    start = barStart(atMs, DAY_MS, 0)
    end = start + DAY_MS
  } else if (config.calendars === null) {
    start = barStart(atMs, config.intervalMs, config.utcOffsetMs)
    end = start + config.intervalMs
  } else {
    const bar = sessionBar(config.calendars[exchangeOfSymbol(quote.symbol)], atMs, config.intervalMs)
    start = bar.start
    end = bar.end
  }
  return {
    start,
    end,
    atMs,
    eventEndMs: Math.min(atMs + spanMs, end),
    isOhlcUsable: quote.kind === 'bar' || isDaily,
  }
}
