import { err } from '../../../core/contracts/result.ts'
import { exchangeOfSymbol } from '../../../core/providers/exchange-of-symbol.ts'
import { parseAlphaVantageBars } from '../../../core/providers/parse-alpha-vantage-bars.ts'
import { parseAlphaVantageQuote } from '../../../core/providers/parse-alpha-vantage-quote.ts'
import { providerFailure } from '../../../core/providers/provider-failure.ts'
import type { Clock } from '../clock.ts'
import type { ProviderHttp } from '../provider-http.ts'
import type { Provider } from './provider.ts'

export const ALPHA_VANTAGE_BASE_URL = 'https://www.alphavantage.co'

/** TIME_SERIES_DAILY's compact output holds the last 100 trading days: about this many calendar days. */
const COMPACT_SPAN_MS = 140 * 86_400_000

/**
 * Alpha Vantage: GLOBAL_QUOTE for quotes and TIME_SERIES_DAILY for history, US stocks only (no
 * indices). Needs an API key; the free tier allows 25 requests a day.
 */
export function createAlphaVantageProvider(options: {
  http: ProviderHttp
  clock: Clock
  apiKey: string
  baseUrl?: string
}): Provider {
  const base = options.baseUrl ?? ALPHA_VANTAGE_BASE_URL
  const url = (query: string): string => `${base}/query?${query}&apikey=${encodeURIComponent(options.apiKey)}`
  return {
    name: 'alphavantage',
    isReplay: false,
    supports: (symbol) => exchangeOfSymbol(symbol) === 'US' && !symbol.startsWith('^'),
    async quote(symbols) {
      const outcomes = new Map<string, Awaited<ReturnType<typeof parseAlphaVantageQuote>>>()
      for (const symbol of symbols) {
        const request = url(`function=GLOBAL_QUOTE&symbol=${encodeURIComponent(symbol)}`)
        outcomes.set(
          symbol,
          await options.http.request(request, `quote ${symbol}`, (reply) =>
            parseAlphaVantageQuote(reply, { symbol, fetchedAt: options.clock.now() }),
          ),
        )
      }
      return outcomes
    },
    async history(symbol, range, interval) {
      if (interval !== '1d')
        return err(providerFailure('unsupported', `alphavantage: daily bars only, not ${interval}`))
      const outputSize = options.clock.now() - range.fromMs > COMPACT_SPAN_MS ? 'full' : 'compact'
      const request = url(
        `function=TIME_SERIES_DAILY&symbol=${encodeURIComponent(symbol)}&outputsize=${outputSize}`,
      )
      return options.http.request(
        request,
        `history ${symbol}`,
        (reply) => parseAlphaVantageBars(reply, { symbol, fetchedAt: options.clock.now() }),
        {
          waitForBudget: true,
        },
      )
    },
  }
}
