import type { ExchangeCalendars } from '../../core/schedule/resolve-calendars.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import type { Config } from '../../platform/config/load-config.ts'
import type { Logger } from '../../platform/logger/create-logger.ts'
import type { Clock } from './clock.ts'
import { createProviders, type ProviderSettings } from './create-providers.ts'
import type { ExchangeId } from '../../core/schedule/exchange-calendars.ts'
import { findStreamPositions } from './find-stream-positions.ts'
import type { FetchLike } from './http-get.ts'
import type { FetchReport } from './run-fetch-once.ts'
import { watchQuotes } from './watch-quotes.ts'

/** The settings a live follower reads: its providers and the watch schedule. */
export type FollowSettings = ProviderSettings | 'maxQuoteAgeSec' | 'watchIntervalSec'

export interface FollowOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly symbols: readonly string[]
  readonly config: Config<FollowSettings>
  readonly clock: Clock
  readonly signal: AbortSignal
  readonly logger: Logger
  /** The calendars the schedule follows (with `--extra-closures`); default `EXCHANGE_CALENDARS`. */
  readonly calendars?: ExchangeCalendars
  /** The providers' HTTP client; default the global fetch. */
  readonly fetch?: FetchLike
  /** The stream position is known: fetching starts. */
  readonly onReady?: () => void
  readonly onReport?: (report: FetchReport, exchange: ExchangeId, nextAtMs: number) => void
}

/**
 * `fetch --watch` on live providers, also what `quotecast run --provider …` runs: continues where
 * the quotes topic is (a restart republishes nothing it holds), then fetches on each exchange's
 * session schedule until the signal aborts, logging each fetch. Returns at once (exit code 1)
 * when the topic cannot be read.
 */
export async function followProviders(options: FollowOptions): Promise<void> {
  const { bus, topicPrefix, symbols, config, clock, signal, logger } = options
  const positions = await findStreamPositions(bus, topicPrefix, symbols, logger)
  if (positions === undefined) return
  options.onReady?.()
  const replayAfter = new Map([...positions.last].map(([symbol, quote]) => [symbol, quote.asOf]))
  const providers = await createProviders(config, {
    clock,
    logger,
    signal,
    replayAfter,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  })
  await watchQuotes({
    bus,
    topicPrefix,
    symbols,
    providers,
    maxAgeMs: config.maxQuoteAgeSec * 1000,
    lastInStream: positions.last,
    clock,
    signal,
    intervalMs: config.watchIntervalSec * 1000,
    ...(options.calendars === undefined ? {} : { calendars: options.calendars }),
    onReport: (report, exchange, nextAtMs) => {
      options.onReport?.(report, exchange, nextAtMs)
      const counts = Object.groupBy(report.symbols, (entry) => entry.status)
      const failed = (counts.failed ?? []).map((entry) => ({
        symbol: entry.symbol,
        attempts: entry.attempts,
      }))
      logger.info(
        {
          exchange,
          published: counts.published?.length ?? 0,
          unchanged: counts.unchanged?.length ?? 0,
          failed,
          next: new Date(nextAtMs).toISOString(),
        },
        'fetched',
      )
    },
  })
}
