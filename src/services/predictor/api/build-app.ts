import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import Fastify, { LogController } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { Registry } from 'prom-client'
import type { PredictorMetrics } from '../metrics/create-predictor-metrics.ts'
import type { PredictWithModel } from '../predict/create-model-predictor.ts'
import type { PredictorViews } from '../views/create-views.ts'
import { ApiError } from './api-error.ts'
import { clientKey } from './client-key.ts'
import { createCorsPolicy } from './cors-policy.ts'
import { registerDashboard } from './register-dashboard.ts'
import { registerDocs } from './register-docs.ts'
import { answerClientError } from './answer-client-error.ts'
import { createErrorResponder, registerErrorHandling } from './handle-errors.ts'
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits.ts'
import { createRateLimiter } from './rate-limiter.ts'
import { SECURITY_HEADERS } from './security-headers.ts'
import { serialiseFrozenOnce } from './serialise-frozen-once.ts'
import { healthRoutes } from './routes/health-routes.ts'
import { historyRoute } from './routes/history-route.ts'
import { predictRoute } from './routes/predict-route.ts'
import { streamRoute } from './routes/stream-route.ts'
import { symbolRoutes } from './routes/symbol-routes.ts'

export interface AppOptions {
  readonly views: PredictorViews
  readonly metrics: PredictorMetrics
  /** Metrics of other stages in this process (`quotecast run`), served with the app's at /metrics. */
  readonly stageMetrics?: Registry
  readonly predict: PredictWithModel
  /** False until the views are restored: the API answers 503 and /readyz says starting. */
  readonly isReady?: () => boolean
  /** `*`, one origin, or a comma-separated list. */
  readonly corsOrigin?: string
  readonly rateLimitPerMinute?: number
  readonly logger?: FastifyBaseLogger
  readonly streamHeartbeatMs?: number
  /** False when /metrics is served on a port of its own (`--metrics-port`), not beside the API. */
  readonly isServingMetrics?: boolean
  /** Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For names the client (`--trust-proxy`). */
  readonly trustProxy?: readonly string[]
  /** The dashboard's folder; by default the repository's web/. */
  readonly webRoot?: string
  /** Stream, timeout and connection limits; each default is `DEFAULT_HTTP_LIMITS`'s. */
  readonly limits?: Partial<HttpLimits>
}

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const require = createRequire(import.meta.url)

/**
 * The prediction service's HTTP app: the /api/v1 routes (validated by their zod schemas, rate
 * limited, 503 until the views are restored), health and metrics, OpenAPI at /docs and the
 * dashboard. Built without listening, so tests drive it with `app.inject`.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const isReady = options.isReady ?? (() => true)
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.limits }
  const respond = createErrorResponder()
  const cors = createCorsPolicy(options.corsOrigin ?? '*', SECURITY_HEADERS)
  // Every answer carries these, including the errors the router gives before any hook runs. (Node
  // builds a request's headers object on first read: with any origin allowed, nothing reads it.)
  const setCommonHeaders = (request: FastifyRequest, reply: FastifyReply): void => {
    void reply.headers(cors.headersFor(cors.isAnyOrigin ? undefined : request.headers.origin))
  }
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    logController: new LogController({ disableRequestLogging: true }),
    // No pino child per request: the one per-request line (in the error responder) names its request.
    childLoggerFactory: (logger) => logger,
    bodyLimit: 64 * 1024,
    // request.ip, which the rate limit keys on: the socket's address unless it is a trusted proxy.
    trustProxy: options.trustProxy === undefined ? false : [...options.trustProxy],
    // The whole request, headers and body, within the timeout (Node's check runs every second),
    // else 408: a body sent a byte at a time holds no socket for long.
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.requestTimeoutMs),
    },
    clientErrorHandler: answerClientError((kind) => options.metrics.countClientError(kind)),
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: true },
    frameworkErrors: (error, request, reply) => {
      setCommonHeaders(request, reply)
      respond(request, reply, error)
    },
  }).withTypeProvider<ZodTypeProvider>()
  app.server.maxConnections = limits.maxConnections
  app.server.on('drop', () => options.metrics.countConnectionDropped())
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serialiseFrozenOnce(serializerCompiler))
  registerErrorHandling(app, respond)
  app.removeContentTypeParser('text/plain')
  app.addHook('onRequest', (request, reply, done) => {
    setCommonHeaders(request, reply)
    done()
  })
  app.options('*', { schema: { hide: true } }, (request, reply) =>
    reply.code(204).headers(cors.preflightHeaders(request.headers)).header('content-length', '0').send(),
  )

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    options.metrics.observeRequest(
      { method: request.method, route, status: reply.statusCode },
      reply.elapsedTime / 1000,
    )
    done()
  })

  await registerDocs(app)
  const registry = servedRegistry(options)
  await app.register(healthRoutes, {
    isReady,
    ...(options.isServingMetrics === false ? {} : { registry }),
  })

  const deps = { views: options.views, isReady, predict: options.predict }
  await app.register(
    async (api) => {
      const limiter = createRateLimiter({ max: options.rateLimitPerMinute ?? 600, windowMs: 60_000 })
      api.addHook('onRequest', (request, reply, done) => {
        if (!isReady()) {
          done(new ApiError('not_ready', 'the service is restoring its views from Kafka'))
          return
        }
        const hit = limiter.hit(clientKey(request.ip), Date.now())
        void reply
          .header('x-ratelimit-limit', hit.limit)
          .header('x-ratelimit-remaining', hit.remaining)
          .header('x-ratelimit-reset', hit.resetSec)
        if (!hit.isExceeded) {
          done()
          return
        }
        void reply.header('retry-after', hit.resetSec)
        done(
          new ApiError(
            'rate_limited',
            `rate limit of ${hit.limit} requests a minute exceeded: retry in ${hit.resetSec} s`,
          ),
        )
      })
      await api.register(symbolRoutes, deps)
      await api.register(historyRoute, deps)
      await api.register(predictRoute, deps)
      await api.register(streamRoute, {
        ...deps,
        heartbeatMs: options.streamHeartbeatMs ?? 15_000,
        maxClients: limits.streamMaxClients,
        clientBufferBytes: limits.streamClientBufferBytes,
        onClientsChanged: (count) => options.metrics.setStreamClients(count),
        onClientDropped: () => options.metrics.countStreamDropped(),
        onClientRefused: () => options.metrics.countStreamRefused(),
      })
    },
    { prefix: '/api/v1' },
  )

  await registerDashboard(app, {
    webRoot: options.webRoot ?? `${REPO_ROOT}web`,
    chartsDir: dirname(require.resolve('lightweight-charts/package.json')),
  })
  return app
}

/** What /metrics serves: the service's metrics and, in `quotecast run`, the other stages'. */
export function servedRegistry(options: Pick<AppOptions, 'metrics' | 'stageMetrics'>): Registry {
  return options.stageMetrics === undefined
    ? options.metrics.registry
    : Registry.merge([options.metrics.registry, options.stageMetrics])
}
