import type { Quote } from '../../core/contracts/quote.ts'
import { exchangeOfSymbol } from '../../core/providers/exchange-of-symbol.ts'
import { EXCHANGE_CALENDARS, type ExchangeId } from '../../core/schedule/exchange-calendars.ts'
import { nextFetchAt } from '../../core/schedule/next-fetch-at.ts'
import type { ExchangeCalendars } from '../../core/schedule/resolve-calendars.ts'
import type { Clock } from './clock.ts'
import { isRepeatQuote } from './is-repeat-quote.ts'
import { runFetchOnce, type FetchOnceOptions, type FetchReport } from './run-fetch-once.ts'

export interface WatchOptions extends Omit<FetchOnceOptions, 'isUnchanged' | 'nowMs' | 'symbols'> {
  readonly symbols: readonly string[]
  readonly clock: Clock
  readonly signal: AbortSignal
  /** Fetch interval while a session is open. */
  readonly intervalMs: number
  /** One more fetch this long after each close, for the closing price. */
  readonly afterCloseMs?: number
  readonly onReport?: (report: FetchReport, exchange: ExchangeId, nextAtMs: number) => void
  /** The stream's latest quote by symbol: a restarted watch does not publish it again. */
  readonly lastInStream?: ReadonlyMap<string, Quote>
  /** The calendars the schedule follows (with `--extra-closures`); default `EXCHANGE_CALENDARS`. */
  readonly calendars?: ExchangeCalendars
}

/**
 * Fetches on each exchange's own schedule until the signal aborts: at once on start, every interval
 * while its session is open, once after each close, and not at all on weekends, known holidays or
 * the PSE lunch break (nor on an extra closure day of `calendars`). A quote whose prices and volume did not change since the last one published
 * for its symbol (`isRepeatQuote`: the same id, or an unchanged snapshot) is not published again.
 */
export async function watchQuotes(options: WatchOptions): Promise<void> {
  const { clock, signal } = options
  const calendars = options.calendars ?? EXCHANGE_CALENDARS
  const isStopped = (): boolean => signal.aborted
  const groups = new Map<ExchangeId, string[]>()
  for (const symbol of options.symbols) {
    const exchange = exchangeOfSymbol(symbol)
    groups.set(exchange, [...(groups.get(exchange) ?? []), symbol])
  }
  const nextAt = new Map<ExchangeId, number>([...groups.keys()].map((exchange) => [exchange, clock.now()]))
  const lastPublished = new Map<string, Quote>(options.lastInStream ?? [])
  const plan = { intervalMs: options.intervalMs, afterCloseMs: options.afterCloseMs ?? 120_000 }
  while (!isStopped()) {
    for (const [exchange, symbols] of groups) {
      if ((nextAt.get(exchange) ?? 0) > clock.now()) continue
      const report = await runFetchOnce({
        ...options,
        symbols,
        nowMs: () => clock.now(),
        isUnchanged: (quote) => isRepeatQuote(lastPublished.get(quote.symbol), quote),
      })
      for (const entry of report.symbols) {
        if (entry.status === 'published' && entry.quote) lastPublished.set(entry.symbol, entry.quote)
      }
      const next = nextFetchAt(calendars[exchange], clock.now(), plan)
      nextAt.set(exchange, next)
      options.onReport?.(report, exchange, next)
      if (isStopped()) return
    }
    const wakeAt = Math.min(...nextAt.values())
    await clock.sleep(Math.max(0, wakeAt - clock.now()), signal)
  }
}
