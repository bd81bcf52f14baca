import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { TOPICS, topicSpecs } from '../../core/contracts/topics.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { startHealthServer } from '../../platform/http/start-health-server.ts'
import { buildApp, servedRegistry } from './api/build-app.ts'
import { describeListenAddress } from './describe-listen-address.ts'
import type { HttpLimits } from './api/http-limits.ts'
import { metricTotal } from '../../platform/logger/metric-total.ts'
import { startWorkSummary } from '../../platform/logger/start-work-summary.ts'
import { createPredictorMetrics } from './metrics/create-predictor-metrics.ts'
import { tallyConsumption } from './metrics/tally-consumption.ts'
import { createModelPredictor } from './predict/create-model-predictor.ts'
import { resolveTrainerOptions } from '../../core/training/trainer-options.ts'
import type { ExchangeCalendars } from '../../core/schedule/resolve-calendars.ts'
import { createViews, type PredictorViews } from './views/create-views.ts'
import { materialiseViews } from './views/materialise-views.ts'
import type { Registry } from 'prom-client'

export interface PredictionServiceOptions {
  readonly bus: Bus
  readonly logger: Logger
  readonly port: number
  /** Default 127.0.0.1: only this machine; 0.0.0.0 for every interface. */
  readonly host?: string
  /** A port of its own for /healthz, /readyz and /metrics; /metrics then leaves the public port. */
  readonly metricsPort?: number
  /** Where the metrics port listens. Default 127.0.0.1. */
  readonly metricsHost?: string
  /** Reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges). */
  readonly trustProxy?: readonly string[]
  readonly topicPrefix?: string
  /** Partitions of the topics the service creates when they are missing. Default 6. */
  readonly partitions?: number
  /** Aborting it stops the service, as `close()` does. */
  readonly signal?: AbortSignal
  readonly corsOrigin?: string
  readonly rateLimitPerMinute?: number
  /** Stream, timeout and connection limits of the HTTP server; default `DEFAULT_HTTP_LIMITS`. */
  readonly limits?: Partial<HttpLimits>
  /** Bars (and predictions) kept per symbol. Default 2,000. */
  readonly maxBarsPerSymbol?: number
  /** The calendars that date /predict's forecasts (with `--extra-closures`); default `EXCHANGE_CALENDARS`. */
  readonly calendars?: ExchangeCalendars
  readonly now?: () => number
  /** Metrics of the stages running in this process (`quotecast run`), served beside the service's own. */
  readonly stageMetrics?: Registry
  /** Milliseconds between work summary lines; 0: only at stop. Default 30 s. */
  readonly summaryEveryMs?: number
}

export interface PredictionService {
  /** Where the dashboard and the API answer, e.g. http://127.0.0.1:8080. */
  readonly url: string
  /** The address and port the HTTP server is bound to, e.g. 0.0.0.0:8080 (every interface). */
  readonly boundTo: string
  /** The metrics port, when there is one. */
  readonly metricsPort?: number
  readonly app: FastifyInstance
  readonly views: PredictorViews
  /** Resolves once the views are restored from the topics (the service is then ready). */
  readonly restored: Promise<void>
  /** Settles when consuming stops: resolves after `close()`, rejects when reading the topics failed. */
  readonly stopped: Promise<void>
  close(): Promise<void>
}

/**
 * Starts the prediction service: listens at once (/readyz answers 503 until the views are
 * restored), then materialises the bars, predictions and models topics and keeps them current.
 * Used by `quotecast serve` and, in-process on the MemoryBus, by `quotecast run`.
 */
export async function startPredictionService(options: PredictionServiceOptions): Promise<PredictionService> {
  const prefix = options.topicPrefix ?? ''
  const topics = {
    bar: prefix + TOPICS.bars,
    prediction: prefix + TOPICS.predictions,
    model: prefix + TOPICS.models,
  }
  const wanted = new Set(Object.values(topics))
  await options.bus.ensureTopics(
    topicSpecs(options.partitions ?? 6, prefix).filter((spec) => wanted.has(spec.name)),
  )

  const views = createViews({ maxBarsPerSymbol: options.maxBarsPerSymbol ?? 2000 })
  const metrics = createPredictorMetrics({ views, isDefaultMetrics: true })
  let isReady = false
  const health =
    options.metricsPort === undefined
      ? undefined
      : await startHealthServer({
          port: options.metricsPort,
          host: options.metricsHost ?? '127.0.0.1',
          registry: servedRegistry({
            metrics,
            ...(options.stageMetrics === undefined ? {} : { stageMetrics: options.stageMetrics }),
          }),
        })
  const app = await buildApp({
    views,
    metrics,
    ...(options.stageMetrics === undefined ? {} : { stageMetrics: options.stageMetrics }),
    predict: createModelPredictor(
      resolveTrainerOptions(options.calendars === undefined ? {} : { calendars: options.calendars }),
    ),
    isReady: () => isReady,
    logger: options.logger.child({ component: 'http' }),
    ...(options.corsOrigin === undefined ? {} : { corsOrigin: options.corsOrigin }),
    ...(options.rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute: options.rateLimitPerMinute }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    isServingMetrics: health === undefined,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  })
  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' })
  const { url, boundTo } = describeListenAddress(app.server.address() as AddressInfo)

  const controller = new AbortController()
  const onAbort = (): void => void close()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const restoring = Promise.withResolvers<undefined>()
  const tally = tallyConsumption(metrics, topics)
  const summary = startWorkSummary({
    logger: options.logger,
    everyMs: options.summaryEveryMs ?? 30_000,
    read: async () => ({
      ...tally.counts(),
      requests: await metricTotal(metrics.registry, 'quotecast_http_requests_total'),
    }),
  })
  const stopped = materialiseViews({
    bus: options.bus,
    topics,
    views,
    logger: options.logger,
    signal: controller.signal,
    now: options.now ?? Date.now,
    observer: tally.observer,
    onRestored: () => {
      isReady = true
      health?.setReady(true)
      options.logger.info({ url, ...views.sizes() }, 'prediction service ready')
      restoring.resolve(undefined)
    },
  })
  stopped.catch((error: unknown) => {
    options.logger.error({ err: error }, 'reading the topics failed')
    restoring.reject(error instanceof Error ? error : new Error(String(error)))
  })
  restoring.promise.catch(() => undefined)

  let closing: Promise<void> | undefined
  function close(): Promise<void> {
    closing ??= (async () => {
      options.signal?.removeEventListener('abort', onAbort)
      controller.abort()
      health?.setReady(false)
      await app.close()
      await health?.close()
      await stopped.catch(() => undefined)
      await summary.stop()
    })()
    return closing
  }
  // An abort before the listener was added (the system stopping while this started) closes it too.
  if (options.signal?.aborted === true) void close()
  return {
    url,
    boundTo,
    ...(health === undefined ? {} : { metricsPort: health.port }),
    app,
    views,
    restored: restoring.promise,
    stopped,
    close,
  }
}
