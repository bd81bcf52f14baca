import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { constants } from 'node:os'
import { createBus } from '../../platform/bus/create-bus.ts'
import { redactSecrets, secretValues } from '../../platform/config/load-config.ts'
import { resolveSettings } from '../../platform/config/setting-options.ts'
import { createLogger } from '../../platform/logger/create-logger.ts'
import { systemClock } from './clock.ts'
import { createProviders } from './create-providers.ts'
import { defaultSymbols } from './default-symbols.ts'
import { checkFetcherConfig, ensureQuotesTopic } from './fetch-command.ts'
import { BACKFILL_SETTINGS, exitWithUsageError } from './fetcher-settings.ts'
import { formatBackfillReport } from './format-backfill-report.ts'
import { runBackfill } from './run-backfill.ts'

const DAY_MS = 86_400_000

/**
 * `quotecast backfill --symbols … --from … [--to …] [--interval 1d]`. Continues after each symbol's
 * latest quote in the quotes topic; SIGINT/SIGTERM stop it after the current request with the
 * summary printed (exit 128 + the signal's number), and running it again resumes.
 */
export async function runBackfillCommand(command: Command): Promise<void> {
  const config = await resolveSettings(command, BACKFILL_SETTINGS)
  checkFetcherConfig(command, config)
  if (config.from === undefined)
    exitWithUsageError(command, '--from / QUOTECAST_BACKFILL_FROM is required: the first date, YYYY-MM-DD')
  const toDay = config.to ?? Math.floor(systemClock.now() / DAY_MS) * DAY_MS
  if (toDay < config.from)
    exitWithUsageError(
      command,
      `--to / QUOTECAST_BACKFILL_TO (${new Date(toDay).toISOString().slice(0, 10)}) is before --from`,
    )
  const logger = createLogger({
    name: 'backfill',
    level: config.logLevel,
    format: config.logFormat,
    secrets: secretValues(config),
  })
  const symbols = config.symbols ?? defaultSymbols(config.provider)
  const bus = createBus(config, 'quotecast-backfill')
  const progress = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'backfill [{bar}] {value}/{total} requests | {symbol} {window} | {published} bars',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined
  const controller = new AbortController()
  let stoppedBy: NodeJS.Signals | undefined
  const onSignal = (name: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) process.exit(128 + constants.signals[name])
    stoppedBy = name
    logger.warn({ signal: name }, 'stopping after the current request (a second signal exits at once)')
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let planned = 0
  try {
    await ensureQuotesTopic(bus, config, logger)
    const providers = await createProviders(config, {
      clock: systemClock,
      logger,
      signal: controller.signal,
    })
    progress?.start(0, 0, { symbol: '', window: '', published: 0 })
    const report = await runBackfill({
      bus,
      topicPrefix: config.topicPrefix,
      symbols,
      providers,
      range: { fromMs: config.from, toMs: toDay + DAY_MS - 1 },
      interval: config.interval,
      nowMs: () => systemClock.now(),
      signal: controller.signal,
      onPlan: (symbol, provider, windows) => {
        planned += windows
        progress?.setTotal(planned)
        logger.info({ symbol, provider, windows }, 'backfill: requests planned')
      },
      onWindow: (step) => {
        const window = `${step.window}/${step.windows}`
        progress?.increment(1, { symbol: step.symbol, window, published: step.published })
        // About twenty progress lines per symbol, whatever the number of windows (PSE: one a day).
        if (step.window % Math.max(1, Math.floor(step.windows / 20)) !== 0 && step.window !== step.windows)
          return
        logger.info(
          {
            symbol: step.symbol,
            provider: step.provider,
            window,
            from: new Date(step.range.fromMs).toISOString(),
            to: new Date(step.range.toMs).toISOString(),
            bars: step.bars,
            published: step.published,
          },
          'backfill: window published',
        )
      },
    }).catch((error: unknown) => {
      logger.error({ err: error }, 'backfill failed (is the quotes topic readable?)')
      return undefined
    })
    progress?.stop()
    if (report === undefined) {
      process.exitCode = 1
      return
    }
    process.stdout.write(redactSecrets(formatBackfillReport(report, config.interval), secretValues(config)))
    process.exitCode =
      stoppedBy === undefined ? (report.isComplete ? 0 : 1) : 128 + constants.signals[stoppedBy]
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    progress?.stop()
    await bus.close()
  }
}
