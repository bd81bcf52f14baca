import { QUOTE_SCHEMA_VERSION, type Quote } from '../contracts/quote.ts'

export type QuoteFields = Omit<Quote, 'schema' | 'id'>

/**
 * A Quote with its stable identity: `source:symbol:interval:start` for a bar (asOf is the bar's
 * start) and `source:symbol:snapshot:asOf` for a snapshot, so fetching the same observation twice
 * yields the same id. Optional fields that are undefined are left out. Not validated: see checkQuote.
 */
export function makeQuote(fields: QuoteFields): Quote {
  const slot = fields.kind === 'bar' ? (fields.interval ?? '1d') : 'snapshot'
  const quote: Record<string, unknown> = {
    schema: QUOTE_SCHEMA_VERSION,
    id: `${fields.source}:${fields.symbol}:${slot}:${fields.asOf}`,
  }
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) quote[key] = value
  return quote as Quote
}
