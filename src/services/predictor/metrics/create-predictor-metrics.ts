import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { PredictorViews } from '../views/create-views.ts'
import type { ConsumptionObserver } from '../views/materialise-views.ts'
import { POOLED, poolIntervalSums } from './pool-interval-sums.ts'
import { horizonScoresOfSnapshot, LONG_HORIZONS } from '../../../core/training/horizon-bands.ts'

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
 * HTTP-level client errors; and, read from the snapshots when scraped, the published bands' interval
 * scores, QLIKE and coverage per σ-fifth pooled over all symbols (no symbol label: bounded series).
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
  registerIntervalGauges(registry, options.views)
  registerHorizonGauges(registry, options.views)
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

const LEVELS = [
  ['0.8', 1],
  ['0.95', 2],
] as const

/** The pooled interval gauges, NaN where no bar was scored; each scrape adds up the latest snapshots. */
function registerIntervalGauges(registry: Registry, views: PredictorViews): void {
  const mean = (sum: number, n: number): number => (n > 0 ? sum / n : Number.NaN)
  const bars: Gauge = new Gauge({
    name: 'quotecast_interval_scored_bars',
    help: 'bars the published bands were scored on, all symbols (the weight of the pooled interval gauges)',
    registers: [registry],
    collect: () => bars.set(poolIntervalSums(views)[POOLED.n] ?? 0),
  })
  const score: Gauge = new Gauge({
    name: 'quotecast_interval_score',
    help: 'mean Winkler interval score of the published band by nominal level, all symbols (log returns; lower is better)',
    labelNames: ['level'],
    registers: [registry],
    collect: () => {
      const pooled = poolIntervalSums(views)
      const n = pooled[POOLED.n] ?? 0
      score.set({ level: '0.8' }, mean(pooled[POOLED.sumWinkler80] ?? 0, n))
      score.set({ level: '0.95' }, mean(pooled[POOLED.sumWinkler95] ?? 0, n))
    },
  })
  const qlike: Gauge = new Gauge({
    name: 'quotecast_qlike',
    help: "mean QLIKE (r²/σ² − ln(r²/σ²) − 1) of the published band's variance, all symbols (0 is perfect)",
    registers: [registry],
    collect: () => {
      const pooled = poolIntervalSums(views)
      qlike.set(mean(pooled[POOLED.sumQlike] ?? 0, pooled[POOLED.n] ?? 0))
    },
  })
  const coverage: Gauge = new Gauge({
    name: 'quotecast_coverage',
    help: "coverage of the published band by nominal level and fifth of each symbol's σ (1 calmest, at running quintiles), all symbols",
    labelNames: ['level', 'fifth'],
    registers: [registry],
    collect: () => {
      const pooled = poolIntervalSums(views)
      for (let k = 0; k < 5; k++) {
        const at = POOLED.fifths + 3 * k
        for (const [level, offset] of LEVELS)
          coverage.set({ level, fifth: String(k + 1) }, mean(pooled[at + offset] ?? 0, pooled[at] ?? 0))
      }
    },
  })
}

/**
 * Coverage of the published 5- and 20-bar intervals by horizon and level, pooled over every
 * symbol's latest snapshot (NaN before any outcome), and the count of those outcomes.
 */
function registerHorizonGauges(registry: Registry, views: PredictorViews): void {
  /** Per horizon: scored forecasts and hits at 80 and 95 %. */
  const pool = (): Map<number, [number, number, number]> => {
    const pooled = new Map<number, [number, number, number]>(LONG_HORIZONS.map((h) => [h, [0, 0, 0]]))
    for (const symbol of views.symbols()) {
      for (const scores of horizonScoresOfSnapshot(views.get(symbol)?.model?.horizons) ?? []) {
        const sums = pooled.get(scores.horizon)
        if (sums === undefined || scores.n === 0) continue
        sums[0] += scores.n
        sums[1] += scores.n * (scores.coverage80 ?? 0)
        sums[2] += scores.n * (scores.coverage95 ?? 0)
      }
    }
    return pooled
  }
  const scored: Gauge = new Gauge({
    name: 'quotecast_horizon_scored_forecasts',
    help: 'published 5- and 20-bar intervals whose outcome has arrived, by horizon in bars, all symbols',
    labelNames: ['horizon'],
    registers: [registry],
    collect: () => {
      for (const [horizon, [n]] of pool()) scored.set({ horizon: String(horizon) }, n)
    },
  })
  const coverage: Gauge = new Gauge({
    name: 'quotecast_horizon_coverage',
    help: 'coverage of the published intervals for the close h bars ahead by horizon and nominal level, all symbols',
    labelNames: ['horizon', 'level'],
    registers: [registry],
    collect: () => {
      for (const [horizon, [n, hits80, hits95]] of pool()) {
        coverage.set({ horizon: String(horizon), level: '0.8' }, n > 0 ? hits80 / n : Number.NaN)
        coverage.set({ horizon: String(horizon), level: '0.95' }, n > 0 ? hits95 / n : Number.NaN)
      }
    },
  })
}
