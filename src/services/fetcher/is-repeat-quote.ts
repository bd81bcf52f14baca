import type { Quote } from '../../core/contracts/quote.ts'
import { quoteFingerprint } from './quote-fingerprint.ts'

/**
 * Whether `quote` says nothing the stream's latest quote for its symbol did not: the same identity,
 * or an unchanged snapshot (a market that did not move, restamped). Bars are compared by identity
 * only: two different days may well have the same prices.
 */
export function isRepeatQuote(last: Quote | undefined, quote: Quote): boolean {
  if (last === undefined) return false
  if (last.id === quote.id) return true
  return (
    last.kind === 'snapshot' &&
    quote.kind === 'snapshot' &&
    quoteFingerprint(last) === quoteFingerprint(quote)
  )
}
