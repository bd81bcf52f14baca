import type { Interval } from '../contracts/primitives.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { dailyBarStart } from './daily-bar-start.ts'
import type { HistoryBatch } from './history-batch.ts'
import type { HttpReply } from './http-reply.ts'
import { makeQuote } from './make-quote.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { readYahooChart } from './read-yahoo-chart.ts'
import { yahooExchange } from './yahoo-exchange.ts'

export interface YahooBarsContext {
  readonly symbol: string
  readonly interval: Interval
  readonly fetchedAt: number
  readonly source?: string
}

/**
 * The bars of a Yahoo chart response (`period1…period2`). Yahoo stamps a daily bar with the session's
 * opening instant; it becomes 00:00 UTC of the exchange's trading date. Rows with a null price
 * (Yahoo's placeholder for a missing bar) are rejected with their time.
 */
export function parseYahooBars(
  reply: HttpReply,
  context: YahooBarsContext,
): Result<HistoryBatch, ProviderFailure> {
  const chart = readYahooChart(reply, context.fetchedAt, context.symbol)
  if (!chart.ok) return chart
  const { meta, timestamp = [], indicators } = chart.value
  const { exchange, currency } = yahooExchange(meta)
  if (currency === undefined) return err(providerFailure('invalid', 'chart meta has no currency'))
  const columns = indicators.quote[0] ?? {}
  const quotes = []
  const rejected = []
  for (const [index, seconds] of timestamp.entries()) {
    const [open, high, low, close] = [columns.open, columns.high, columns.low, columns.close].map(
      (column) => column?.[index],
    )
    const volume = columns.volume?.[index]
    const at = new Date(seconds * 1000).toISOString()
    if (
      typeof open !== 'number' ||
      typeof high !== 'number' ||
      typeof low !== 'number' ||
      typeof close !== 'number'
    ) {
      rejected.push(`${at}: missing open, high, low or close`)
      continue
    }
    const start =
      context.interval === '1d'
        ? dailyBarStart(seconds * 1000, meta.exchangeTimezoneName ?? 'UTC')
        : seconds * 1000
    quotes.push(
      makeQuote({
        symbol: context.symbol,
        exchange,
        currency,
        kind: 'bar',
        interval: context.interval,
        price: close,
        open,
        high,
        low,
        volume: volume ?? undefined,
        asOf: start,
        fetchedAt: context.fetchedAt,
        source: context.source ?? 'yahoo',
      }),
    )
  }
  return ok({ quotes, rejected })
}
