import type { Command } from 'commander'
import { resolveBarConfig } from '../../core/bars/resolve-bar-config.ts'
import { BUS_SETTINGS, createBus } from '../../platform/bus/create-bus.ts'
import { secretValues } from '../../platform/config/load-config.ts'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import { runUntilStopped } from '../../platform/lifecycle/run-until-stopped.ts'
import { createLogger } from '../../platform/logger/create-logger.ts'
import { HTTP_LIMIT_SETTINGS, httpLimitsOf } from '../predictor/api/http-limits.ts'
import { resolveCalendars } from '../../core/schedule/resolve-calendars.ts'
import { systemClock } from '../fetcher/clock.ts'
import { defaultSymbols } from '../fetcher/default-symbols.ts'
import { checkProviderConfig } from '../fetcher/fetch-command.ts'
import { PROVIDER_SETTINGS } from '../fetcher/fetcher-settings.ts'
import { runSystem } from './run-system.ts'

// The fetcher's provider settings (the same flags as `fetch --watch`), less those run already has.
const NAMES = [
  ...new Set([
    ...PROVIDER_SETTINGS,
    ...BUS_SETTINGS,
    'topicPrefix',
    'partitions',
    'symbols',
    'maxQuoteAgeSec',
    'watchIntervalSec',
    'extraClosures',
    'from',
    'replaySpeed',
    'liveBars',
    'interval',
    'closeOnSession',
    'closeGraceSec',
    'httpPort',
    'httpHost',
    'corsOrigin',
    'rateLimit',
    'exactlyOnce',
    'logLevel',
    'logFormat',
    'summaryEverySec',
    'stockDetailsTopic',
    ...HTTP_LIMIT_SETTINGS,
  ] as const),
]

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run', { isDefault: true })
    .description(
      'the whole system in one process: fetcher (the bundled replay, or live with --provider yahoo …, as fetch --watch) → processor → trainer → prediction service and dashboard',
    )
    .action(async () => {
      const config = await resolveSettings(command, NAMES)
      checkProviderConfig(command, config)
      const calendars = resolveCalendars(config.extraClosures)
      const barConfig = resolveBarConfig({ interval: config.interval, calendars })
      if (!barConfig.ok) {
        process.stderr.write(`quotecast run: invalid configuration: ${barConfig.error}\n`)
        process.exit(2)
      }
      const logger = createLogger({
        name: 'quotecast',
        level: config.logLevel,
        format: config.logFormat,
        secrets: secretValues(config),
      })
      const bus = createBus(config, 'quotecast-run')
      const isLive = !(config.provider.length === 1 && config.provider[0] === 'replay')
      logger.info(
        {
          bus: config.kafka === undefined ? 'in-process' : config.kafka.join(','),
          providers: isLive ? config.provider : 'the bundled replay',
        },
        'starting the whole system',
      )
      try {
        await runUntilStopped(logger, (signal) =>
          runSystem({
            bus,
            logger,
            signal,
            topicPrefix: config.topicPrefix,
            partitions: config.partitions,
            barConfig: barConfig.value,
            ...(config.symbols === undefined && !isLive
              ? {}
              : { symbols: config.symbols ?? defaultSymbols(config.provider) }),
            ...(isLive
              ? {
                  live: {
                    config,
                    clock: systemClock,
                    ...(config.from === undefined ? {} : { backfillFromMs: config.from }),
                  },
                }
              : {}),
            calendars,
            speed: config.replaySpeed,
            liveBars: config.liveBars,
            port: config.httpPort,
            host: config.httpHost,
            corsOrigin: config.corsOrigin,
            rateLimitPerMinute: config.rateLimit,
            httpLimits: httpLimitsOf(config),
            isExactlyOnce: config.exactlyOnce,
            summaryEveryMs: config.summaryEverySec * 1000,
            stockDetailsTopic: config.stockDetailsTopic,
            ...(config.closeOnSession ? { closeGraceMs: config.closeGraceSec * 1000 } : {}),
            onListening: (url, boundTo) =>
              process.stdout.write(
                `\n  quotecast is running on ${boundTo} — open the dashboard: ${url}\n  API docs: ${url}/docs\n\n`,
              ),
          }),
        )
      } finally {
        await bus.close()
      }
    })
  addSettingOptions(command, NAMES)
}
