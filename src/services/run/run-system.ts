import { Registry } from 'prom-client'
import type { BarConfig } from '../../core/bars/resolve-bar-config.ts'
import type { ExchangeCalendars } from '../../core/schedule/resolve-calendars.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import type { Logger } from '../../platform/logger/create-logger.ts'
import { runBridge } from '../bridge/run-bridge.ts'
import { loadReplaySeries } from '../fetcher/providers/load-replay-series.ts'
import { startReplayFeed } from '../fetcher/start-replay-feed.ts'
import type { HttpLimits } from '../predictor/api/http-limits.ts'
import { createProviders } from '../fetcher/create-providers.ts'
import { followProviders, type FollowOptions } from '../fetcher/follow-providers.ts'
import { runBackfill } from '../fetcher/run-backfill.ts'
import { startPredictionService } from '../predictor/start-prediction-service.ts'
import { runProcessor } from '../processor/run-processor.ts'
import { runTrainer } from '../trainer/run-trainer.ts'
import { splitSeries } from './split-series.ts'

export interface RunSystemOptions {
  readonly bus: Bus
  readonly logger: Logger
  readonly signal: AbortSignal
  readonly topicPrefix: string
  readonly partitions: number
  readonly barConfig: BarConfig
  readonly symbols?: readonly string[]
  /** Bars per second of the live part of the replay. */
  readonly speed: number
  /** Bars per symbol replayed live; everything before them is published at once as history. */
  readonly liveBars: number
  readonly port: number
  readonly host: string
  readonly corsOrigin: string
  readonly rateLimitPerMinute: number
  /** The prediction service's stream, timeout and connection limits; default `DEFAULT_HTTP_LIMITS`. */
  readonly httpLimits?: HttpLimits
  readonly isExactlyOnce: boolean
  /** The processor closes each recent bar at its session's close plus this; unset: on event time only. */
  readonly closeGraceMs?: number
  readonly onListening?: (url: string, boundTo: string) => void
  /** Milliseconds between each stage's work summary lines; 0: only at stop. Default 30 s. */
  readonly summaryEveryMs?: number
  /** The original project's topic the bridge reads, before the prefix. Default stock-details. */
  readonly stockDetailsTopic?: string
  /**
   * Follow live providers (`run --provider yahoo …`) as `fetch --watch` does, instead of replaying
   * the bundled series; `symbols` are the ones followed.
   */
  readonly live?: Pick<FollowOptions, 'config' | 'clock' | 'fetch'> & {
    /** Backfill the symbols' daily history from this date (epoch ms) first: the models need 20 bars. */
    readonly backfillFromMs?: number
  }
  /** The calendars of every stage (with `--extra-closures`): bars, forecasts, the fetch schedule. */
  readonly calendars?: ExchangeCalendars
  /** The processor's wall clock (session closes); default `Date.now`. Injected by tests. */
  readonly now?: () => number
}

/**
 * The whole system in one process: replay fetcher (or live providers, `live`) → processor →
 * trainer → prediction service. On the in-process bus by default; on a real broker when given a KafkaBus.
 */
export async function runSystem(options: RunSystemOptions): Promise<void> {
  const { bus, logger, topicPrefix } = options
  // A stage that stops on a failure no retry can get past stops the whole system with it: the
  // other stages, the feed and the service finish, then runSystem rejects with the first failure.
  const system = new AbortController()
  options.signal.addEventListener('abort', () => system.abort(), { once: true })
  if (options.signal.aborted) system.abort()
  const signal = system.signal
  let failure: { readonly error: unknown } | undefined
  const stopAllOnFailure = (stage: Promise<void>): Promise<void> =>
    stage.catch((error: unknown) => {
      failure ??= { error }
      system.abort()
    })
  const finish = async (running: readonly Promise<void>[]): Promise<void> => {
    await Promise.all(running)
    if (failure !== undefined) throw failure.error
  }
  await bus.ensureTopics(topicSpecs(options.partitions, topicPrefix))
  const registry = new Registry()
  const summary = options.summaryEveryMs === undefined ? {} : { summaryEveryMs: options.summaryEveryMs }
  const calendars = options.calendars === undefined ? {} : { calendars: options.calendars }
  const stages = [
    runProcessor({
      bus,
      topicPrefix,
      barConfig: options.barConfig,
      registry,
      logger: logger.child({ component: 'processor' }),
      signal,
      isExactlyOnce: options.isExactlyOnce,
      ...summary,
      ...(options.closeGraceMs === undefined ? {} : { closeGraceMs: options.closeGraceMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
    }),
    runTrainer({
      bus,
      topicPrefix,
      registry,
      logger: logger.child({ component: 'trainer' }),
      signal,
      isExactlyOnce: options.isExactlyOnce,
      ...summary,
      ...calendars,
    }),
    // The original project's stock-details messages, produced by anyone to this process's bus.
    runBridge({
      bus,
      topicPrefix,
      partitions: options.partitions,
      ...(options.stockDetailsTopic === undefined ? {} : { stockDetailsTopic: options.stockDetailsTopic }),
      registry,
      logger: logger.child({ component: 'bridge' }),
      signal,
      isExactlyOnce: options.isExactlyOnce,
      ...summary,
    }),
  ].map(stopAllOnFailure)
  const service = await startPredictionService({
    bus,
    logger: logger.child({ component: 'predictor' }),
    signal,
    port: options.port,
    host: options.host,
    topicPrefix,
    partitions: options.partitions,
    corsOrigin: options.corsOrigin,
    rateLimitPerMinute: options.rateLimitPerMinute,
    ...(options.httpLimits === undefined ? {} : { limits: options.httpLimits }),
    stageMetrics: registry,
    ...summary,
    ...calendars,
  })
  options.onListening?.(service.url, service.boundTo)
  if (options.live !== undefined) {
    const fetcherLogger = logger.child({ component: 'fetcher' })
    if (options.live.backfillFromMs !== undefined)
      await backfillHistory({ ...options, signal }, options.live.backfillFromMs, fetcherLogger)
    await followProviders({
      ...options.live,
      ...calendars,
      bus,
      topicPrefix,
      symbols: options.symbols ?? [],
      signal,
      logger: fetcherLogger,
    })
    await finish([...stages, service.stopped])
    return
  }

  const all = await loadReplaySeries()
  const chosen = new Map([...all].filter(([symbol]) => options.symbols?.includes(symbol) ?? true))
  const unknown = (options.symbols ?? []).filter((symbol) => !all.has(symbol))
  if (unknown.length > 0)
    logger.warn({ unknown, bundled: [...all.keys()] }, 'no bundled series for these symbols: skipped')
  const { history, live } = splitSeries(chosen, options.liveBars)
  const feedLogger = logger.child({ component: 'fetcher' })
  const backfilled = await startReplayFeed({
    bus,
    topicPrefix,
    speed: 1e9,
    series: history,
    signal,
    logger: feedLogger,
  })
  feedLogger.info({ quotes: backfilled.published }, 'history published: the trainer is training on it')
  const replayed = await startReplayFeed({
    bus,
    topicPrefix,
    speed: options.speed,
    series: live,
    signal,
    logger: feedLogger,
  })
  if (replayed.isFinished)
    feedLogger.info({ quotes: replayed.published }, 'replay finished: the dashboard stays up (Ctrl-C stops)')
  await finish([...stages, service.stopped])
}

/** `run --provider … --from DATE`: what `quotecast backfill` would publish, before following live. */
async function backfillHistory(options: RunSystemOptions, fromMs: number, logger: Logger): Promise<void> {
  const live = options.live!
  const providers = await createProviders(live.config, {
    clock: live.clock,
    logger,
    signal: options.signal,
    ...(live.fetch === undefined ? {} : { fetch: live.fetch }),
  })
  const report = await runBackfill({
    bus: options.bus,
    topicPrefix: options.topicPrefix,
    symbols: options.symbols ?? [],
    providers,
    range: { fromMs, toMs: live.clock.now() },
    interval: options.barConfig.interval,
    nowMs: () => live.clock.now(),
    signal: options.signal,
  })
  logger.info(
    {
      published: report.published,
      symbols: Object.fromEntries(report.symbols.map((entry) => [entry.symbol, entry.status])),
    },
    'history backfilled: the trainer is training on it',
  )
}
