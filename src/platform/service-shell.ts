import { collectDefaultMetrics, Registry } from 'prom-client'
import type { Bus } from './bus/bus.ts'
import { BUS_SETTINGS, createBus, type BusSettings } from './bus/create-bus.ts'
import type { Config } from './config/load-config.ts'
import { secretValues } from './config/load-config.ts'
import { startHealthServer, type HealthServer } from './http/start-health-server.ts'
import { runUntilStopped } from './lifecycle/run-until-stopped.ts'
import { createLogger, type Logger } from './logger/create-logger.ts'

export const SERVICE_SETTINGS = [
  ...BUS_SETTINGS,
  'topicPrefix',
  'logLevel',
  'logFormat',
  'healthPort',
  'healthHost',
  'summaryEverySec',
] as const
export type ServiceSettings =
  BusSettings | 'topicPrefix' | 'logLevel' | 'logFormat' | 'healthPort' | 'healthHost' | 'summaryEverySec'

export interface ServiceContext {
  readonly bus: Bus
  readonly logger: Logger
  readonly registry: Registry
  readonly health: HealthServer
  readonly signal: AbortSignal
  /** Milliseconds between the service's work summary lines (0: only at stop). */
  readonly summaryEveryMs: number
}

/**
 * The shell every background service shares: logger (secrets redacted), metrics registry, the
 * /healthz /readyz /metrics server, the bus, and a graceful stop on SIGTERM/SIGINT.
 */
export async function runService(
  name: string,
  config: Config<ServiceSettings>,
  service: (context: ServiceContext) => Promise<void>,
): Promise<void> {
  const logger = createLogger({
    name,
    level: config.logLevel,
    format: config.logFormat,
    secrets: secretValues(config),
  })
  if (config.kafka === undefined) {
    logger.error(
      `no broker configured: set --kafka HOST:PORT or KAFKA_BOOTSTRAP_SERVERS (quotecast run needs none)`,
    )
    process.exit(2)
  }
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const health = await startHealthServer({
    port: config.healthPort,
    host: config.healthHost,
    registry,
  })
  const bus = createBus(config, `quotecast-${name}`)
  logger.info(
    { kafka: config.kafka, healthHost: config.healthHost, healthPort: health.port },
    `${name} started`,
  )
  try {
    await runUntilStopped(logger, (signal) =>
      service({ bus, logger, registry, health, signal, summaryEveryMs: config.summaryEverySec * 1000 }),
    )
  } finally {
    health.setReady(false)
    await bus.close()
    await health.close()
    logger.info(`${name} closed`)
  }
}
