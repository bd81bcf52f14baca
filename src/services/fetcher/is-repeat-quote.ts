import type { Quote } from '../../core/contracts/quote.ts'
import { quoteFingerprint } from './quote-fingerprint.ts'

const DAY_MS = 86_400_000

/**
 * Whether `quote` says nothing the stream's latest quote for its symbol did not: the same identity,
 * an unchanged snapshot (a market that did not move, restamped), or a snapshot restating the daily
 * bar a backfill left last (that day's close, and its open, high, low and volume where it has them:
 * after the close, a live provider's quote is the finished day). Bars are compared by identity
 * only: two different days may well have the same prices.
 */
export function isRepeatQuote(last: Quote | undefined, quote: Quote): boolean {
  if (last === undefined) return false
  if (last.id === quote.id) return true
  if (quote.kind !== 'snapshot') return false
  if (last.kind === 'snapshot') return quoteFingerprint(last) === quoteFingerprint(quote)
  return last.interval === '1d' && restatesDailyBar(last, quote)
}

/** The snapshot lies in the bar's day (its 00:00 UTC label, as the processor places it) with its values. */
function restatesDailyBar(bar: Quote, snapshot: Quote): boolean {
  const isSameDay = Math.floor(snapshot.asOf / DAY_MS) * DAY_MS === bar.asOf
  const fields = ['open', 'high', 'low', 'volume'] as const
  return (
    isSameDay &&
    snapshot.price === bar.price &&
    fields.every((field) => snapshot[field] === undefined || snapshot[field] === bar[field])
  )
}
