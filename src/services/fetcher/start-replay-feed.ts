import type { Bar } from '../../core/contracts/bar.ts'
import type { Quote } from '../../core/contracts/quote.ts'
import { checkQuote } from '../../core/providers/check-quote.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import type { Logger } from '../../platform/logger/create-logger.ts'
import { systemClock, type Clock } from './clock.ts'
import { createReplayProvider } from './providers/create-replay-provider.ts'
import { loadReplaySeries } from './providers/load-replay-series.ts'
import { publishQuotes } from './publish-quotes.ts'

export interface ReplayFeedOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  /** Symbols of the bundled series: ^GSPC, AAPL (default both). */
  readonly symbols?: readonly string[]
  /** Bars per second, per symbol. */
  readonly speed: number
  readonly signal: AbortSignal
  readonly logger?: Logger
  /** Start at the first bar on or after this instant. */
  readonly fromMs?: number
  /** Where the stream already is, by symbol: each series continues after it (a restarted feed). */
  readonly startAfter?: ReadonlyMap<string, number>
  readonly clock?: Clock
  /** Series to replay instead of the bundled ones. */
  readonly series?: ReadonlyMap<string, readonly Bar[]>
  /** At most this many bars per symbol in one produce call when running behind (high speeds). */
  readonly maxBarsPerBatch?: number
}

export interface ReplayFeedReport {
  readonly published: number
  /** True when every series ran out; false when the signal stopped the feed first. */
  readonly isFinished: boolean
}

/**
 * Publishes the bundled real history to the quotes topic as if it were live, `speed` bars per second
 * per symbol, until every series ends or the signal aborts: the offline feed of `quotecast run`.
 * Produce failures reject (the caller decides whether to restart); a bar that fails the Quote
 * contract is skipped with a warning.
 */
export async function startReplayFeed(options: ReplayFeedOptions): Promise<ReplayFeedReport> {
  const clock = options.clock ?? systemClock
  const series = options.series ?? (await loadReplaySeries())
  const symbols = options.symbols ?? [...series.keys()]
  const provider = createReplayProvider({
    series,
    clock,
    fromMs: options.fromMs,
    startAfter: options.startAfter,
  })
  const startedAt = clock.now()
  let ticks = 0
  let published = 0
  const active = new Set(symbols)
  while (!options.signal.aborted && active.size > 0) {
    const due = Math.floor(((clock.now() - startedAt) * options.speed) / 1000) + 1 - ticks
    const batch: Quote[] = []
    for (let tick = 0; tick < Math.min(due, options.maxBarsPerBatch ?? 500); tick++) {
      ticks++
      for (const [symbol, outcome] of await provider.quote([...active])) {
        if (!outcome.ok) {
          active.delete(symbol)
          options.logger?.info({ symbol, reason: outcome.error.message }, 'replay: series finished')
          continue
        }
        const checked = checkQuote(outcome.value, { nowMs: clock.now() })
        if (checked.ok) batch.push(checked.value)
        else
          options.logger?.warn({ symbol, id: outcome.value.id, reason: checked.error }, 'replay: bar skipped')
      }
    }
    await publishQuotes(options.bus, options.topicPrefix, batch)
    published += batch.length
    if (active.size === 0) break
    const nextDueAt = startedAt + (ticks * 1000) / options.speed
    await clock.sleep(Math.max(0, nextDueAt - clock.now()), options.signal)
  }
  return { published, isFinished: active.size === 0 }
}
