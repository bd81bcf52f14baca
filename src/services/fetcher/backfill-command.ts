import cliProgress from 'cli-progress'
import type { Command } from 'commander'
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

/** `quotecast backfill --symbols … --from … [--to …] [--interval 1d]`. */
export async function runBackfillCommand(command: Command): Promise<void> {
  const config = resolveSettings(command, BACKFILL_SETTINGS)
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
          format: 'backfill [{bar}] {value}/{total} bars | {symbol}',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined
  let found = 0
  try {
    await ensureQuotesTopic(bus, config, logger)
    const providers = await createProviders(config, { clock: systemClock, logger })
    progress?.start(0, 0, { symbol: '' })
    const report = await runBackfill({
      bus,
      topicPrefix: config.topicPrefix,
      symbols,
      providers,
      range: { fromMs: config.from, toMs: toDay + DAY_MS - 1 },
      interval: config.interval,
      nowMs: () => systemClock.now(),
      onBarsFound: (symbol, count) => {
        found += count
        progress?.setTotal(found)
        progress?.update({ symbol })
      },
      onPublished: (_symbol, count) => progress?.increment(count),
    })
    progress?.stop()
    process.stdout.write(redactSecrets(formatBackfillReport(report), secretValues(config)))
    process.exitCode = report.isComplete ? 0 : 1
  } finally {
    progress?.stop()
    await bus.close()
  }
}
