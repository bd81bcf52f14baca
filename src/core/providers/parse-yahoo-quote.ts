import type { Quote } from '../contracts/quote.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import type { HttpReply } from './http-reply.ts'
import { makeQuote } from './make-quote.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { readYahooChart } from './read-yahoo-chart.ts'
import { yahooExchange } from './yahoo-exchange.ts'

export interface YahooQuoteContext {
  readonly symbol: string
  readonly fetchedAt: number
  readonly source?: string
}

/**
 * The current quote in a Yahoo chart response (`range=1d&interval=1d`): the regular-market price,
 * time, day high, low and volume from `meta`, and the day's open from the last bar.
 */
export function parseYahooQuote(
  reply: HttpReply,
  context: YahooQuoteContext,
): Result<Quote, ProviderFailure> {
  const chart = readYahooChart(reply, context.fetchedAt, context.symbol)
  if (!chart.ok) return chart
  const { meta, indicators } = chart.value
  const price = meta.regularMarketPrice
  const time = meta.regularMarketTime
  if (price === null || price === undefined)
    return err(providerFailure('invalid', 'chart meta has no regularMarketPrice'))
  if (time === null || time === undefined)
    return err(providerFailure('invalid', 'chart meta has no regularMarketTime'))
  const { exchange, currency } = yahooExchange(meta)
  if (currency === undefined) return err(providerFailure('invalid', 'chart meta has no currency'))
  const opens = indicators.quote[0]?.open ?? []
  return ok(
    makeQuote({
      symbol: context.symbol,
      exchange,
      currency,
      kind: 'snapshot',
      price,
      open: opens.at(-1) ?? undefined,
      high: meta.regularMarketDayHigh ?? undefined,
      low: meta.regularMarketDayLow ?? undefined,
      volume: meta.regularMarketVolume ?? undefined,
      asOf: time * 1000,
      fetchedAt: context.fetchedAt,
      source: context.source ?? 'yahoo',
    }),
  )
}
