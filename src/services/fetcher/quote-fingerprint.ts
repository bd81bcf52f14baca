import type { Quote } from '../../core/contracts/quote.ts'

/**
 * What makes a quote news: its prices and volume. Two fetches of an unchanged market give the same
 * fingerprint even when the provider restamps the time or a failover changes the source.
 */
export function quoteFingerprint(quote: Quote): string {
  return [quote.kind, quote.interval, quote.price, quote.open, quote.high, quote.low, quote.volume].join('|')
}
