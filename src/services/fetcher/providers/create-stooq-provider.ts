import type { Quote } from '../../../core/contracts/quote.ts'
import { err, type Result } from '../../../core/contracts/result.ts'
import { parseStooqBars } from '../../../core/providers/parse-stooq-bars.ts'
import { parseStooqQuotes } from '../../../core/providers/parse-stooq-quotes.ts'
import { providerFailure, type ProviderFailure } from '../../../core/providers/provider-failure.ts'
import { stooqSymbol } from '../../../core/providers/stooq-symbol.ts'
import type { Clock } from '../clock.ts'
import type { ProviderHttp } from '../provider-http.ts'
import type { Provider } from './provider.ts'

export const STOOQ_BASE_URL = 'https://stooq.com'

const compactDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')

/** Stooq's CSV downloads, no key: every symbol's quote in one request; daily history per symbol. */
export function createStooqProvider(options: {
  http: ProviderHttp
  clock: Clock
  baseUrl?: string
}): Provider {
  const base = options.baseUrl ?? STOOQ_BASE_URL
  return {
    name: 'stooq',
    isReplay: false,
    supports: (symbol) => stooqSymbol(symbol).ok,
    async quote(symbols) {
      const names: Record<string, string> = {}
      for (const symbol of symbols) {
        const name = stooqSymbol(symbol)
        if (name.ok) names[name.value] = symbol
      }
      const list = Object.keys(names).map(encodeURIComponent).join('+')
      const url = `${base}/q/l/?s=${list}&f=sd2t2ohlcv&h&e=csv`
      const result = await options.http.request(url, `quote ${symbols.join(',')}`, (reply) =>
        parseStooqQuotes(reply, { symbols: names, fetchedAt: options.clock.now() }),
      )
      const outcomes = new Map<string, Result<Quote, ProviderFailure>>()
      for (const symbol of symbols) {
        outcomes.set(
          symbol,
          result.ok
            ? (result.value.get(symbol) ??
                err(providerFailure('unsupported', `stooq: no mapping for ${symbol}`)))
            : result,
        )
      }
      return outcomes
    },
    async history(symbol, range, interval) {
      if (interval !== '1d')
        return err(providerFailure('unsupported', `stooq: daily bars only, not ${interval}`))
      const name = stooqSymbol(symbol)
      if (!name.ok) return name
      const url = `${base}/q/d/l/?s=${encodeURIComponent(name.value)}&i=d&d1=${compactDate(range.fromMs)}&d2=${compactDate(range.toMs)}`
      return options.http.request(
        url,
        `history ${symbol}`,
        (reply) => parseStooqBars(reply, { symbol, fetchedAt: options.clock.now() }),
        {
          waitForBudget: true,
        },
      )
    },
  }
}
