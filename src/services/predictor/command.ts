import type { Command } from 'commander'
import { secretValues } from '../../platform/config/load-config.ts'
import { BUS_SETTINGS, createBus } from '../../platform/bus/create-bus.ts'
import { resolveCalendars } from '../../core/schedule/resolve-calendars.ts'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import { runUntilStopped } from '../../platform/lifecycle/run-until-stopped.ts'
import { createLogger } from '../../platform/logger/create-logger.ts'
import { HTTP_LIMIT_SETTINGS, httpLimitsOf } from './api/http-limits.ts'
import { startPredictionService } from './start-prediction-service.ts'

const NAMES = [
  ...BUS_SETTINGS,
  'topicPrefix',
  'partitions',
  'httpPort',
  'httpHost',
  'healthHost',
  'metricsPort',
  'trustProxy',
  'corsOrigin',
  'rateLimit',
  'historyBars',
  'logLevel',
  'logFormat',
  'extraClosures',
  'summaryEverySec',
  ...HTTP_LIMIT_SETTINGS,
] as const

export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'prediction service: HTTP API, live stream, OpenAPI docs and the dashboard, from the Kafka topics',
    )
    .action(async () => {
      const config = await resolveSettings(command, NAMES)
      const logger = createLogger({
        name: 'predictor',
        level: config.logLevel,
        format: config.logFormat,
        secrets: secretValues(config),
      })
      if (config.kafka === undefined)
        logger.warn('no broker configured (--kafka): serving an empty in-process bus')
      const bus = createBus(config, 'quotecast-predictor')
      await runUntilStopped(logger, async (signal) => {
        try {
          const service = await startPredictionService({
            bus,
            logger,
            signal,
            port: config.httpPort,
            host: config.httpHost,
            ...(config.metricsPort === undefined
              ? {}
              : { metricsPort: config.metricsPort, metricsHost: config.healthHost }),
            ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
            topicPrefix: config.topicPrefix,
            partitions: config.partitions,
            corsOrigin: config.corsOrigin,
            rateLimitPerMinute: config.rateLimit,
            limits: httpLimitsOf(config),
            maxBarsPerSymbol: config.historyBars,
            calendars: resolveCalendars(config.extraClosures),
            summaryEveryMs: config.summaryEverySec * 1000,
          })
          logger.info(
            {
              url: service.url,
              boundTo: service.boundTo,
              docs: `${service.url}/docs`,
              ...(service.metricsPort === undefined
                ? {}
                : { metrics: `${config.healthHost}:${service.metricsPort}` }),
            },
            'listening',
          )
          await service.stopped
        } finally {
          await bus.close()
        }
      })
    })
  addSettingOptions(command, NAMES)
}
