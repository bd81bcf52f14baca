import { validateMessage } from '../contracts/decode-message.ts'
import { quoteSchema, type Quote } from '../contracts/quote.ts'
import { err, type Result } from '../contracts/result.ts'

export interface QuoteChecks {
  readonly nowMs: number
  /** A snapshot older than this is stale (undefined: no age limit, e.g. for historical bars and replays). */
  readonly maxAgeMs?: number | undefined
  /** Tolerated clock skew for event times ahead of `nowMs`. */
  readonly maxAheadMs?: number
}

/**
 * Whether a quote may be published: it must satisfy the Quote contract (finite, positive prices,
 * high ≥ low, …), not lie in the future, and not be stale. The error says which check failed.
 */
export function checkQuote(candidate: unknown, checks: QuoteChecks): Result<Quote> {
  const valid = validateMessage(quoteSchema, candidate)
  if (!valid.ok) return valid
  const quote = valid.value
  const aheadMs = quote.asOf - checks.nowMs
  if (aheadMs > (checks.maxAheadMs ?? 5 * 60_000)) {
    return err(`asOf ${new Date(quote.asOf).toISOString()} is ${Math.round(aheadMs / 1000)} s in the future`)
  }
  const ageMs = checks.nowMs - quote.asOf
  if (checks.maxAgeMs !== undefined && ageMs > checks.maxAgeMs) {
    return err(
      `stale: asOf ${new Date(quote.asOf).toISOString()} is ${formatAge(ageMs)} old (limit ${formatAge(checks.maxAgeMs)})`,
    )
  }
  return valid
}

function formatAge(ms: number): string {
  const hours = ms / 3_600_000
  return hours >= 48
    ? `${(hours / 24).toFixed(1)} d`
    : hours >= 1
      ? `${hours.toFixed(1)} h`
      : `${Math.round(ms / 1000)} s`
}
