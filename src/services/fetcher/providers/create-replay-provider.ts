import type { Bar } from '../../../core/contracts/bar.ts'
import type { Quote } from '../../../core/contracts/quote.ts'
import { err, ok, type Result } from '../../../core/contracts/result.ts'
import { barToQuote } from '../../../core/providers/bar-to-quote.ts'
import { providerFailure, type ProviderFailure } from '../../../core/providers/provider-failure.ts'
import type { Clock } from '../clock.ts'
import type { Provider } from './provider.ts'

export interface ReplayOptions {
  /** Daily bars by symbol, oldest first. */
  readonly series: ReadonlyMap<string, readonly Bar[]>
  readonly clock: Clock
  /** Start each series at its first bar on or after this instant (default: its first bar). */
  readonly fromMs?: number | undefined
  /**
   * Where the stream already is, by symbol (its latest event time in the quotes topic): the series
   * starts at its first bar after it, so a restart never publishes a bar the stream has.
   */
  readonly startAfter?: ReadonlyMap<string, number> | undefined
}

/**
 * Replays real daily history as if it were live: each `quote()` call returns every symbol's next
 * bar (a Quote of kind `bar`, interval 1d), so the whole system runs with no network. A finished
 * series answers `exhausted` saying where it ended.
 */
export function createReplayProvider(options: ReplayOptions): Provider {
  const next = new Map<string, number>()
  const toQuote = (bar: Bar): Quote =>
    barToQuote(bar, { exchange: 'US', currency: 'USD', fetchedAt: options.clock.now(), source: 'replay' })
  const firstIndex = (symbol: string, bars: readonly Bar[]): number => {
    const from = options.fromMs ?? Number.NEGATIVE_INFINITY
    const after = options.startAfter?.get(symbol) ?? Number.NEGATIVE_INFINITY
    const index = bars.findIndex((bar) => bar.start >= from && bar.start > after)
    return index < 0 ? bars.length : index
  }
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
  const known = (): string => [...options.series.keys()].join(', ')
  return {
    name: 'replay',
    isReplay: true,
    supports: (symbol) => options.series.has(symbol),
    quote(symbols) {
      const outcomes = new Map<string, Result<Quote, ProviderFailure>>()
      for (const symbol of symbols) {
        const bars = options.series.get(symbol)
        if (bars === undefined) {
          outcomes.set(
            symbol,
            err(providerFailure('unsupported', `replay: no bundled series for ${symbol} (have ${known()})`)),
          )
          continue
        }
        const index = next.get(symbol) ?? firstIndex(symbol, bars)
        const bar = bars[index]
        if (bar === undefined) {
          const last = bars.at(-1)
          const after = options.startAfter?.get(symbol)
          const end = last === undefined ? 'is empty' : `ended at ${day(last.start)}`
          const stream = after === undefined ? '' : ` (the stream is at ${day(after)})`
          outcomes.set(
            symbol,
            err(
              providerFailure(
                'exhausted',
                `replay: the ${symbol} series ${end}${stream}: nothing left to publish`,
              ),
            ),
          )
          continue
        }
        next.set(symbol, index + 1)
        outcomes.set(symbol, ok(toQuote(bar)))
      }
      return Promise.resolve(outcomes)
    },
    history(symbol, range, interval) {
      const bars = options.series.get(symbol)
      if (bars === undefined)
        return Promise.resolve(
          err(providerFailure('unsupported', `replay: no bundled series for ${symbol} (have ${known()})`)),
        )
      if (interval !== '1d')
        return Promise.resolve(
          err(providerFailure('unsupported', `replay: the bundled series are daily, not ${interval}`)),
        )
      const quotes = bars.filter((bar) => bar.start >= range.fromMs && bar.start <= range.toMs).map(toQuote)
      return Promise.resolve(ok({ quotes, rejected: [] }))
    },
  }
}
