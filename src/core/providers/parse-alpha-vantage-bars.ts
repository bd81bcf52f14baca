import type { Quote } from '../contracts/quote.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { dailyBarStart } from './daily-bar-start.ts'
import type { HistoryBatch } from './history-batch.ts'
import type { HttpReply } from './http-reply.ts'
import { makeQuote } from './make-quote.ts'
import { parseDecimal, readDecimalFields } from './parse-decimal.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { readAlphaVantageBody } from './read-alpha-vantage-body.ts'

export interface AlphaVantageBarsContext {
  readonly symbol: string
  readonly fetchedAt: number
  readonly source?: string
}

const FIELDS = { open: '1. open', high: '2. high', low: '3. low', close: '4. close' } as const

/**
 * Daily bars of a TIME_SERIES_DAILY reply (`Time Series (Daily)`, newest first), oldest first. A day
 * with a missing or unreadable field is rejected with its date.
 */
export function parseAlphaVantageBars(
  reply: HttpReply,
  context: AlphaVantageBarsContext,
): Result<HistoryBatch, ProviderFailure> {
  const body = readAlphaVantageBody(reply, context.fetchedAt)
  if (!body.ok) return body
  const series = body.value['Time Series (Daily)']
  if (typeof series !== 'object' || series === null) {
    return err(providerFailure('invalid', 'Alpha Vantage: no "Time Series (Daily)" object'))
  }
  const quotes: Quote[] = []
  const rejected: string[] = []
  for (const [date, row] of Object.entries(series as Record<string, Record<string, unknown>>).sort(
    ([a], [b]) => (a < b ? -1 : 1),
  )) {
    const numbers = readDecimalFields(row, FIELDS)
    if (!numbers.ok || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      rejected.push(`${date}: ${numbers.ok ? 'not a date' : numbers.error}`)
      continue
    }
    const volume = parseDecimal(row['5. volume'])
    quotes.push(
      makeQuote({
        symbol: context.symbol,
        exchange: 'US',
        currency: 'USD',
        kind: 'bar',
        interval: '1d',
        price: numbers.value.close,
        open: numbers.value.open,
        high: numbers.value.high,
        low: numbers.value.low,
        volume: volume.ok ? volume.value : undefined,
        asOf: dailyBarStart(date),
        fetchedAt: context.fetchedAt,
        source: context.source ?? 'alphavantage',
      }),
    )
  }
  return ok({ quotes, rejected })
}
