import { z } from 'zod'
import { err, ok, type Result } from '../contracts/result.ts'
import { classifyHttpStatus } from './classify-http-status.ts'
import type { HttpReply } from './http-reply.ts'
import { parseJsonBody } from './parse-json-body.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'

const value = z.number().nullable().optional()
const series = z.array(z.number().nullable()).optional()

const resultSchema = z.object({
  meta: z.object({
    symbol: z.string(),
    currency: z.string().nullable().optional(),
    exchangeName: z.string().optional(),
    exchangeTimezoneName: z.string().optional(),
    regularMarketPrice: value,
    regularMarketTime: value,
    regularMarketDayHigh: value,
    regularMarketDayLow: value,
    regularMarketVolume: value,
  }),
  timestamp: z.array(z.number()).optional(),
  indicators: z.object({
    quote: z.array(z.object({ open: series, high: series, low: series, close: series, volume: series })),
  }),
})

const chartSchema = z.object({
  chart: z.object({
    result: z.array(resultSchema).nullable().optional(),
    error: z
      .object({ code: z.string(), description: z.string().nullable().optional() })
      .nullable()
      .optional(),
  }),
})

export type YahooChart = z.infer<typeof resultSchema>

/**
 * The one result of a Yahoo Finance v8 chart response (`/v8/finance/chart/{symbol}`), or why there is
 * none: the `chart.error` object Yahoo sends with 4xx ("Not Found: No data found, symbol may be
 * delisted"), a rate limit, an HTML error page from the edge, a body that is not the chart shape, or
 * the chart of another instrument than `symbol`.
 */
export function readYahooChart(
  reply: HttpReply,
  nowMs: number,
  symbol?: string,
): Result<YahooChart, ProviderFailure> {
  const byStatus = classifyHttpStatus(reply, nowMs)
  const json = parseJsonBody(reply)
  if (!json.ok) return err(byStatus ?? json.error)
  const parsed = chartSchema.safeParse(json.value)
  if (!parsed.success) return err(byStatus ?? providerFailure('invalid', 'not a Yahoo chart response'))
  const { result, error } = parsed.data.chart
  if (error) {
    const message = `${error.code}: ${error.description ?? ''}`.trim()
    const kind =
      error.code === 'Not Found' || /no data found/i.test(message)
        ? 'not-found'
        : (byStatus?.kind ?? 'invalid')
    return err(providerFailure(kind, message, byStatus?.retryAfterMs))
  }
  if (byStatus) return err(byStatus)
  const first = result?.[0]
  if (first === undefined) return err(providerFailure('not-found', 'chart has no result'))
  // Another instrument's chart (a redirect, a cache mix-up) must not become this symbol's quote.
  if (symbol !== undefined && first.meta.symbol.toUpperCase() !== symbol.toUpperCase()) {
    return err(providerFailure('invalid', `chart is for ${first.meta.symbol.slice(0, 32)}, not ${symbol}`))
  }
  return ok(first)
}
