import type { Quote } from '../../../core/contracts/quote.ts'
import { err, ok } from '../../../core/contracts/result.ts'
import { exchangeOfSymbol } from '../../../core/providers/exchange-of-symbol.ts'
import { parsePhisixBar } from '../../../core/providers/parse-phisix-bar.ts'
import { parsePhisixQuote } from '../../../core/providers/parse-phisix-quote.ts'
import { providerFailure } from '../../../core/providers/provider-failure.ts'
import { zonedParts } from '../../../core/schedule/zoned-parts.ts'
import type { Clock } from '../clock.ts'
import type { ProviderHttp } from '../provider-http.ts'
import type { Provider } from './provider.ts'

export const PSE_BASE_URL = 'https://phisix-api.appspot.com'

const DAY_MS = 86_400_000

/** Manila weekdays from `fromMs` to `toMs` as YYYY-MM-DD. */
function manilaWeekdays(fromMs: number, toMs: number): string[] {
  const dates: string[] = []
  const first = zonedParts(fromMs, 'Asia/Manila')
  for (let day = Date.UTC(first.year, first.month - 1, first.day); day <= toMs; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay()
    if (weekday !== 0 && weekday !== 6) dates.push(new Date(day).toISOString().slice(0, 10))
  }
  return dates
}

/**
 * The Philippine Stock Exchange through the phisix API (the original project's source): one request
 * per symbol for quotes, and one per trading day for history (`/stocks/{SYMBOL}.{date}.json`), whose
 * bars carry only the day's close and volume. A day phisix has no data for (a holiday) is skipped.
 */
export function createPseProvider(options: { http: ProviderHttp; clock: Clock; baseUrl?: string }): Provider {
  const base = options.baseUrl ?? PSE_BASE_URL
  return {
    name: 'pse',
    isReplay: false,
    supports: (symbol) => exchangeOfSymbol(symbol) === 'PSE',
    async quote(symbols) {
      const outcomes = new Map<string, Awaited<ReturnType<typeof parsePhisixQuote>>>()
      for (const symbol of symbols) {
        const url = `${base}/stocks/${encodeURIComponent(symbol)}.json`
        outcomes.set(
          symbol,
          await options.http.request(url, `quote ${symbol}`, (reply) =>
            parsePhisixQuote(reply, { symbol, fetchedAt: options.clock.now() }),
          ),
        )
      }
      return outcomes
    },
    async history(symbol, range, interval) {
      if (interval !== '1d')
        return err(providerFailure('unsupported', `pse: daily bars only, not ${interval}`))
      const quotes = new Map<string, Quote>()
      const rejected: string[] = []
      for (const date of manilaWeekdays(range.fromMs, range.toMs)) {
        const url = `${base}/stocks/${encodeURIComponent(symbol)}.${date}.json`
        const bar = await options.http.request(
          url,
          `history ${symbol} ${date}`,
          (reply) => parsePhisixBar(reply, { symbol, fetchedAt: options.clock.now() }),
          {
            waitForBudget: true,
          },
        )
        if (bar.ok) quotes.set(bar.value.id, bar.value)
        else if (bar.error.kind === 'not-found' || bar.error.kind === 'invalid')
          rejected.push(`${date}: ${bar.error.message}`)
        else return bar
      }
      return ok({ quotes: [...quotes.values()].sort((a, b) => a.asOf - b.asOf), rejected })
    },
  }
}
