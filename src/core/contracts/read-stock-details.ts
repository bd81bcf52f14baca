import { z } from 'zod'
import { decodeMessage } from './decode-message.ts'
import { parseEdgeQuote, parsePhisixStocks, type OriginalFormatContext } from './original-formats.ts'
import type { Quote } from './quote.ts'
import { ok, type Result } from './result.ts'

/** The quotes of one `stock-details` message, and why each entry that made none was rejected. */
export interface StockDetails {
  readonly quotes: readonly Quote[]
  /** One reason per rejected entry, e.g. `phisix XYZ: price.amount: must be a number`. */
  readonly rejected: readonly string[]
  /** Entries in the message, good and bad. */
  readonly entries: number
}

const anyJson = z.unknown()

/**
 * One message of the original project's `stock-details` topic, as bytes: the phisix JSON
 * (`{"stock":[…],"as_of":"2022-10-14T14:50:00+08:00"}`, event time `as_of`) or a PSE EDGE
 * record (`{"stock":"JFC","close":"1,000.00",…}`, event time `fetchedAt`). A bad entry of a phisix
 * list spares the others; a message that is not JSON, or not either shape, is an error. Never throws.
 */
export function readStockDetails(
  bytes: Uint8Array | null,
  context: OriginalFormatContext,
): Result<StockDetails> {
  const json = decodeMessage(anyJson, bytes)
  if (!json.ok) return json
  const value = json.value
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { stock?: unknown }).stock === 'string'
  ) {
    const quote = parseEdgeQuote(value, context)
    return quote.ok ? ok({ quotes: [quote.value], rejected: [], entries: 1 }) : quote
  }
  const outcomes = parsePhisixStocks(value, context)
  if (!outcomes.ok) return outcomes
  const quotes: Quote[] = []
  const rejected: string[] = []
  for (const outcome of outcomes.value) {
    if (outcome.quote.ok) quotes.push(outcome.quote.value)
    else rejected.push(outcome.quote.error)
  }
  return ok({ quotes, rejected, entries: outcomes.value.length })
}
