import type { Command } from 'commander'
import { Registry } from 'prom-client'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { resolveCalendars } from '../../core/schedule/resolve-calendars.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { countProduced } from '../../platform/bus/count-produced.ts'
import { createBus } from '../../platform/bus/create-bus.ts'
import { redactSecrets, secretValues, type Config } from '../../platform/config/load-config.ts'
import { startHealthServer } from '../../platform/http/start-health-server.ts'
import { runUntilStopped } from '../../platform/lifecycle/run-until-stopped.ts'
import { resolveSettings } from '../../platform/config/setting-options.ts'
import { createLogger, type Logger } from '../../platform/logger/create-logger.ts'
import { startWorkSummary } from '../../platform/logger/start-work-summary.ts'
import { systemClock } from './clock.ts'
import { createProviders } from './create-providers.ts'
import { defaultSymbols } from './default-symbols.ts'
import { createFetcherMetrics } from './fetcher-metrics.ts'
import { exitWithUsageError, FETCH_SETTINGS } from './fetcher-settings.ts'
import { formatFetchReport } from './format-fetch-report.ts'
import { isRepeatQuote } from './is-repeat-quote.ts'
import { quotesTopic } from './publish-quotes.ts'
import type { StreamPositions } from './read-stream-positions.ts'
import { runFetchOnce } from './run-fetch-once.ts'
import { startReplayFeed } from './start-replay-feed.ts'
import { findStreamPositions } from './find-stream-positions.ts'
import { followProviders } from './follow-providers.ts'

type FetchConfig = Config<(typeof FETCH_SETTINGS)[number]>

/** Validates what every fetcher command needs before anything starts; exits 2 naming the setting. */
export function checkFetcherConfig(
  command: Command,
  config: Pick<FetchConfig, 'kafka' | 'provider' | 'alphaVantageKey'>,
): void {
  if (config.kafka === undefined) {
    exitWithUsageError(
      command,
      `no broker configured: set --kafka HOST:PORT or KAFKA_BOOTSTRAP_SERVERS (${command.name()} publishes to Kafka; \`quotecast run\` is the in-process mode)`,
    )
  }
  checkProviderConfig(command, config)
}

/** Validates the provider settings (an API key where one is needed); exits 2 naming the setting. */
export function checkProviderConfig(
  command: Command,
  config: Pick<FetchConfig, 'provider' | 'alphaVantageKey'>,
): void {
  if (config.provider.includes('alphavantage') && config.alphaVantageKey === undefined) {
    exitWithUsageError(
      command,
      'the alphavantage provider needs an API key: set --alphavantage-key or ALPHAVANTAGE_API_KEY',
    )
  }
}

/** Creates the quotes topic if it is missing; a broker that cannot be reached shows up when publishing. */
export async function ensureQuotesTopic(
  bus: Bus,
  config: Pick<FetchConfig, 'partitions' | 'topicPrefix'>,
  logger: Logger,
): Promise<void> {
  const spec = topicSpecs(config.partitions, config.topicPrefix).filter(
    (topic) => topic.name === quotesTopic(config.topicPrefix),
  )
  await bus
    .ensureTopics(spec)
    .catch((error: unknown) => logger.error({ err: error }, 'could not ensure the quotes topic'))
}

const asOfBySymbol = (positions: StreamPositions): Map<string, number> =>
  new Map([...positions.last].map(([symbol, quote]) => [symbol, quote.asOf]))

/** `quotecast fetch [--watch]`. */
export async function runFetchCommand(command: Command, isWatch: boolean): Promise<void> {
  const config = await resolveSettings(command, FETCH_SETTINGS)
  checkFetcherConfig(command, config)
  const logger = createLogger({
    name: 'fetcher',
    level: config.logLevel,
    format: config.logFormat,
    secrets: secretValues(config),
  })
  const symbols = config.symbols ?? defaultSymbols(config.provider)
  const counted = countProduced(createBus(config, 'quotecast-fetcher'))
  const bus = counted.bus
  const base = { bus, topicPrefix: config.topicPrefix, symbols, maxAgeMs: config.maxQuoteAgeSec * 1000 }
  try {
    await ensureQuotesTopic(bus, config, logger)
    if (!isWatch) {
      const positions = await findStreamPositions(bus, config.topicPrefix, symbols, logger)
      if (positions === undefined) return
      const replayAfter = asOfBySymbol(positions)
      const providers = await createProviders(config, { clock: systemClock, logger, replayAfter })
      const report = await runFetchOnce({
        ...base,
        providers,
        nowMs: () => systemClock.now(),
        isUnchanged: (quote) => isRepeatQuote(positions.last.get(quote.symbol), quote),
      })
      process.stdout.write(redactSecrets(formatFetchReport(report), secretValues(config)))
      process.exitCode = report.isComplete ? 0 : 1
      return
    }
    const registry = new Registry()
    const metrics = createFetcherMetrics(registry)
    const health = await startHealthServer({
      port: config.healthPort,
      host: config.healthHost,
      registry,
    })
    const work = { fetches: 0, unchanged: 0, failed: 0 }
    const summary = startWorkSummary({
      logger,
      everyMs: config.summaryEverySec * 1000,
      read: () => ({ quotesOut: counted.produced(), ...work }),
    })
    try {
      await runUntilStopped(logger, async (signal) => {
        if (config.provider.length === 1 && config.provider[0] === 'replay') {
          const positions = await findStreamPositions(bus, config.topicPrefix, symbols, logger)
          if (positions === undefined) return
          health.setReady(true)
          const fromMs = config.replayFrom
          const done = await startReplayFeed({
            ...base,
            speed: config.replaySpeed,
            signal,
            logger,
            startAfter: asOfBySymbol(positions),
            ...(fromMs === undefined ? {} : { fromMs }),
          })
          logger.info({ published: done.published, isFinished: done.isFinished }, 'replay stopped')
          return
        }
        await followProviders({
          bus,
          topicPrefix: config.topicPrefix,
          symbols,
          config,
          clock: systemClock,
          signal,
          logger,
          calendars: resolveCalendars(config.extraClosures),
          onReady: () => health.setReady(true),
          onReport: (report) => {
            metrics.record(report, systemClock.now())
            work.fetches++
            work.unchanged += report.symbols.filter((entry) => entry.status === 'unchanged').length
            work.failed += report.symbols.filter((entry) => entry.status === 'failed').length
          },
        })
      })
    } finally {
      await summary.stop()
      await health.close()
    }
  } finally {
    await bus.close()
  }
}
