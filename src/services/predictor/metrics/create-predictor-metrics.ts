import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { PredictorViews } from '../views/create-views.ts'
import type { ConsumptionObserver } from '../views/materialise-views.ts'

interface RequestSeries {
  readonly labels: { readonly method: string; readonly route: string; readonly status: string }
  /** Requests since the counter was last given them. */
  unreported: number
}

export interface PredictorMetrics extends ConsumptionObserver {
  readonly registry: Registry
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void
  setStreamClients(count: number): void
  /** A stream client dropped for leaving its buffer budget unread. */
  countStreamDropped(): void
  /** A stream refused because the most streams were open. */
  countStreamRefused(): void
  /** A connection closed at once because the most connections were open. */
  countConnectionDropped(): void
  /** A connection ended by an HTTP-level client error: a request timeout, headers too large, a malformed request. */
  countClientError(kind: ClientErrorKind): void
}

export type ClientErrorKind = 'timeout' | 'header_overflow' | 'malformed'

/**
 * The prediction service's Prometheus metrics in their own registry (so several apps can live in
 * one process): HTTP requests and latencies by route pattern, consumption and lag by topic, the
 * views' sizes (read when scraped), open, dropped and refused SSE streams, refused connections and
 * HTTP-level client errors.
 */
export function createPredictorMetrics(options: {
  views: PredictorViews
  isDefaultMetrics?: boolean
}): PredictorMetrics {
  const registry = new Registry()
  if (options.isDefaultMetrics === true)
    collectDefaultMetrics({ register: registry, prefix: 'quotecast_predictor_' })
  const labelNames = ['method', 'route', 'status'] as const
  // Requests are counted here and added to the counter when scraped: cheaper per request than
  // prom-client's label hashing, and each label set's object is made once and reused.
  const series = new Map<string, RequestSeries>()
  const seriesFor = (method: string, route: string, status: number): RequestSeries => {
    const key = `${method} ${status} ${route}`
    let found = series.get(key)
    if (found === undefined) {
      found = { labels: { method, route, status: String(status) }, unreported: 0 }
      series.set(key, found)
    }
    return found
  }
  const requests: Counter = new Counter({
    name: 'quotecast_http_requests_total',
    help: 'HTTP requests served',
    labelNames,
    registers: [registry],
    collect: () => {
      for (const one of series.values()) {
        if (one.unreported > 0) requests.inc(one.labels, one.unreported)
        one.unreported = 0
      }
    },
  })
  const latency = new Histogram({
    name: 'quotecast_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  })
  const consumed = new Counter({
    name: 'quotecast_predictor_records_total',
    help: 'records consumed from Kafka by topic and outcome (applied or invalid)',
    labelNames: ['topic', 'outcome'],
    registers: [registry],
  })
  const lag = new Gauge({
    name: 'quotecast_predictor_consumer_lag_seconds',
    help: 'age of the newest record of the last poll by topic (0 when caught up)',
    labelNames: ['topic'],
    registers: [registry],
  })
  const streamClients = new Gauge({
    name: 'quotecast_predictor_stream_clients',
    help: 'open SSE streams',
    registers: [registry],
  })
  const streamDropped = new Counter({
    name: 'quotecast_predictor_stream_clients_dropped_total',
    help: 'SSE clients dropped because they left more than --stream-client-buffer-kib unread',
    registers: [registry],
  })
  const streamRefused = new Counter({
    name: 'quotecast_predictor_stream_clients_refused_total',
    help: 'SSE streams refused with 429 because --stream-max-clients were open',
    registers: [registry],
  })
  const connectionsDropped = new Counter({
    name: 'quotecast_http_connections_dropped_total',
    help: 'connections closed on arrival because --http-max-connections were open',
    registers: [registry],
  })
  const clientErrors = new Counter({
    name: 'quotecast_http_client_errors_total',
    help: 'connections ended by an HTTP client error: timeout (408), header_overflow (431), malformed (400)',
    labelNames: ['kind'],
    registers: [registry],
  })
  const viewSize: Gauge = new Gauge({
    name: 'quotecast_predictor_view_size',
    help: 'items held in the materialised views',
    labelNames: ['view'],
    registers: [registry],
    collect: () => {
      const sizes = options.views.sizes()
      for (const view of ['symbols', 'bars', 'predictions', 'models'] as const)
        viewSize.set({ view }, sizes[view])
    },
  })
  return {
    registry,
    observeRequest({ method, route, status }, seconds) {
      const one = seriesFor(method, route, status)
      one.unreported += 1
      latency.observe(one.labels, seconds)
    },
    setStreamClients: (count) => streamClients.set(count),
    countStreamDropped: () => streamDropped.inc(),
    countStreamRefused: () => streamRefused.inc(),
    countConnectionDropped: () => connectionsDropped.inc(),
    countClientError: (kind) => clientErrors.inc({ kind }),
    recordApplied: (topic, count) => consumed.inc({ topic, outcome: 'applied' }, count),
    recordInvalid: (topic) => consumed.inc({ topic, outcome: 'invalid' }),
    setLagSeconds: (topic, seconds) => lag.set({ topic }, seconds),
  }
}
