import type { Quote } from '../contracts/quote.ts'
import type { OpenBar } from './bar-builder-state.ts'
import type { QuotePlacement } from './place-quote.ts'

/**
 * Merges one accepted quote into its bar, in place, or starts the bar (a new object) when there
 * is none. OHLC follow event time, not arrival: open comes from the earliest contribution, close
 * from the latest, high and low are extremes.
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
  if (at.atMs < bar.openAt) {
    bar.open = open
    bar.openAt = at.atMs
  }
  if (at.eventEndMs >= bar.closeAt) {
    bar.close = close
    bar.closeAt = at.eventEndMs
  }
  bar.high = Math.max(bar.high, high)
  bar.low = Math.min(bar.low, low)
  bar.count += 1
  if (isBarQuote) {
    bar.barVolume += volume ?? 0
    bar.hasBarQuote = true
  }
  if (cumVolume !== null) bar.cumVolume = Math.max(bar.cumVolume ?? 0, cumVolume)
  return bar
}
