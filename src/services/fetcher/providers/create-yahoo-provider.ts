import { INTERVAL_MS, type Interval } from '../../../core/contracts/primitives.ts'
import { err } from '../../../core/contracts/result.ts'
import { exchangeOfSymbol } from '../../../core/providers/exchange-of-symbol.ts'
import { parseYahooBars } from '../../../core/providers/parse-yahoo-bars.ts'
import { parseYahooQuote } from '../../../core/providers/parse-yahoo-quote.ts'
import { providerFailure } from '../../../core/providers/provider-failure.ts'
import type { Clock } from '../clock.ts'
import { HISTORY_LIMITS } from '../history-limits.ts'
import type { ProviderHttp } from '../provider-http.ts'
import type { Provider } from './provider.ts'

export const YAHOO_BASE_URL = 'https://query1.finance.yahoo.com'

const YAHOO_INTERVAL: Readonly<Record<Interval, string>> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '60m',
  '1d': '1d',
}
/** Yahoo Finance through its public v8 chart endpoint: one request per symbol, no key. */
export function createYahooProvider(options: {
  http: ProviderHttp
  clock: Clock
  baseUrl?: string
}): Provider {
  const base = options.baseUrl ?? YAHOO_BASE_URL
  const chartUrl = (symbol: string, query: string): string =>
    `${base}/v8/finance/chart/${encodeURIComponent(symbol)}?${query}`
  return {
    name: 'yahoo',
    isReplay: false,
    supports: (symbol) => exchangeOfSymbol(symbol) === 'US',
    async quote(symbols) {
      const outcomes = new Map<string, Awaited<ReturnType<typeof parseYahooQuote>>>()
      for (const symbol of symbols) {
        const url = chartUrl(symbol, 'range=1d&interval=1d&includePrePost=false')
        outcomes.set(
          symbol,
          await options.http.request(url, `quote ${symbol}`, (reply) =>
            parseYahooQuote(reply, { symbol, fetchedAt: options.clock.now() }),
          ),
        )
      }
      return outcomes
    },
    async history(symbol, range, interval) {
      const { maxSpanMs } = HISTORY_LIMITS.yahoo[interval]
      if (range.toMs - range.fromMs + 1 > maxSpanMs) {
        return err(
          providerFailure(
            'unsupported',
            `yahoo: ${interval} bars span at most ${maxSpanMs / INTERVAL_MS['1d']} days per request`,
          ),
        )
      }
      const query = `period1=${Math.floor(range.fromMs / 1000)}&period2=${Math.ceil(range.toMs / 1000)}&interval=${YAHOO_INTERVAL[interval]}&events=history&includePrePost=false`
      return options.http.request(
        chartUrl(symbol, query),
        `history ${symbol}`,
        (reply) => parseYahooBars(reply, { symbol, interval, fetchedAt: options.clock.now() }),
        { waitForBudget: true },
      )
    },
  }
}
