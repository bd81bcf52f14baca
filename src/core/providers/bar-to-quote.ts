import type { Bar } from '../contracts/bar.ts'
import type { Quote } from '../contracts/quote.ts'
import { makeQuote } from './make-quote.ts'

/** A historical bar as a Quote of kind `bar`, e.g. for the replay of the bundled series. */
export function barToQuote(
  bar: Bar,
  context: { exchange: string; currency: string; fetchedAt: number; source: string },
): Quote {
  return makeQuote({
    symbol: bar.symbol,
    exchange: context.exchange,
    currency: context.currency,
    kind: 'bar',
    interval: bar.interval,
    price: bar.close,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    volume: bar.volume,
    asOf: bar.start,
    fetchedAt: context.fetchedAt,
    source: context.source,
  })
}
