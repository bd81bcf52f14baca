import type { Quote } from '../contracts/quote.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { zonedTimeToEpoch } from '../schedule/zoned-time-to-epoch.ts'
import type { HttpReply } from './http-reply.ts'
import { makeQuote } from './make-quote.ts'
import { parseDecimal, readDecimalFields } from './parse-decimal.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { readAlphaVantageBody } from './read-alpha-vantage-body.ts'

export interface AlphaVantageQuoteContext {
  readonly symbol: string
  readonly fetchedAt: number
  readonly source?: string
}

const FIELDS = { open: '02. open', high: '03. high', low: '04. low', price: '05. price' } as const

/**
 * The current quote of a GLOBAL_QUOTE reply. Alpha Vantage gives only the latest trading day, so the
 * event time is that day's 16:00 New York close, or the fetch time while that day is still trading.
 * An unknown symbol comes back as an empty `Global Quote` object.
 */
export function parseAlphaVantageQuote(
  reply: HttpReply,
  context: AlphaVantageQuoteContext,
): Result<Quote, ProviderFailure> {
  const body = readAlphaVantageBody(reply, context.fetchedAt)
  if (!body.ok) return body
  const quote = body.value['Global Quote']
  if (typeof quote !== 'object' || quote === null)
    return err(providerFailure('invalid', 'Alpha Vantage: no "Global Quote" object'))
  const fields = quote as Record<string, unknown>
  if (Object.keys(fields).length === 0)
    return err(providerFailure('not-found', 'Alpha Vantage: empty Global Quote (unknown symbol)'))
  const numbers = readDecimalFields(fields, FIELDS)
  if (!numbers.ok) return err(providerFailure('invalid', `Alpha Vantage: ${numbers.error}`))
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(fields['07. latest trading day']))
  if (!day) return err(providerFailure('invalid', 'Alpha Vantage: "07. latest trading day" is not a date'))
  const close = zonedTimeToEpoch(
    { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]), hour: 16 },
    'America/New_York',
  )
  const volume = parseDecimal(fields['06. volume'])
  return ok(
    makeQuote({
      symbol: context.symbol,
      exchange: 'US',
      currency: 'USD',
      kind: 'snapshot',
      price: numbers.value.price,
      open: numbers.value.open,
      high: numbers.value.high,
      low: numbers.value.low,
      volume: volume.ok ? volume.value : undefined,
      asOf: Math.min(close, context.fetchedAt),
      fetchedAt: context.fetchedAt,
      source: context.source ?? 'alphavantage',
    }),
  )
}
