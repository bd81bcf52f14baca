import type { Quote } from '../contracts/quote.ts'
import type { OpenBar } from './bar-builder-state.ts'
import type { QuotePlacement } from './place-quote.ts'

/**
 * Merges one accepted quote into its bar (or starts the bar). OHLC follow event time, not arrival:
 * open comes from the earliest contribution, close from the latest, high and low are extremes.
 */
export function mergeQuote(bar: OpenBar | undefined, quote: Quote, at: QuotePlacement): OpenBar {
  const close = quote.price
  const open = at.isOhlcUsable ? (quote.open ?? close) : close
  const high = at.isOhlcUsable ? Math.max(quote.high ?? close, open, close) : close
  const low = at.isOhlcUsable ? Math.min(quote.low ?? close, open, close) : close
  const isBarQuote = quote.kind === 'bar'
  const volume = quote.volume
  const cumVolume = isBarQuote || volume === undefined ? null : volume
  if (bar === undefined) {
    return {
      start: at.start,
      end: at.end,
      open,
      high,
      low,
      close,
      openAt: at.atMs,
      closeAt: at.eventEndMs,
      count: 1,
      barVolume: isBarQuote ? (volume ?? 0) : 0,
      hasBarQuote: isBarQuote,
      cumVolume,
    }
  }
  const isEarliest = at.atMs < bar.openAt
  const isLatest = at.eventEndMs >= bar.closeAt
  return {
    start: bar.start,
    end: bar.end,
    open: isEarliest ? open : bar.open,
    high: Math.max(bar.high, high),
    low: Math.min(bar.low, low),
    close: isLatest ? close : bar.close,
    openAt: isEarliest ? at.atMs : bar.openAt,
    closeAt: isLatest ? at.eventEndMs : bar.closeAt,
    count: bar.count + 1,
    barVolume: isBarQuote ? bar.barVolume + (volume ?? 0) : bar.barVolume,
    hasBarQuote: bar.hasBarQuote || isBarQuote,
    cumVolume: cumVolume === null ? bar.cumVolume : Math.max(bar.cumVolume ?? 0, cumVolume),
  }
}
