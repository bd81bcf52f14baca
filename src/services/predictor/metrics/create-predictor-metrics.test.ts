import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ModelSnapshot } from '../../../core/contracts/model-snapshot.ts'
import { syntheticFeatureRows } from '../../../../test/fixtures/training/synthetic-feature-rows.ts'
import { horizonScores } from '../../../core/training/horizon-bands.ts'
import { trainStep } from '../../../core/training/train-step.ts'
import { resolveTrainerOptions } from '../../../core/training/trainer-options.ts'
import { toSnapshot } from '../../../core/training/trainer-snapshot.ts'
import { createTrainerState } from '../../../core/training/trainer-state.ts'
import { createViews } from '../views/create-views.ts'
import { createPredictorMetrics } from './create-predictor-metrics.ts'

const linesOf = async (metrics: ReturnType<typeof createPredictorMetrics>): Promise<string[]> =>
  (await metrics.registry.metrics()).split('\n')

const requestsLine = (status: number, count: number): string =>
  `quotecast_http_requests_total{method="GET",route="/api/v1/predictions/:symbol",status="${status}"} ${count}`

test('requests are counted by method, route and status, each once however often scraped', async () => {
  const metrics = createPredictorMetrics({ views: createViews({ maxBarsPerSymbol: 10 }) })
  const ok = { method: 'GET', route: '/api/v1/predictions/:symbol', status: 200 }
  metrics.observeRequest(ok, 0.0004)
  metrics.observeRequest({ ...ok, status: 404 }, 0.002)
  const first = await linesOf(metrics)
  assert.ok(first.includes(requestsLine(200, 1)))
  assert.ok(first.includes(requestsLine(404, 1)))
  metrics.observeRequest(ok, 0.0004)
  metrics.observeRequest(ok, 0.03)
  const second = await linesOf(metrics)
  assert.ok(second.includes(requestsLine(200, 3)))
  assert.ok(second.includes(requestsLine(404, 1)))
  const histogram = 'quotecast_http_request_duration_seconds'
  const labels = 'method="GET",route="/api/v1/predictions/:symbol",status="200"'
  assert.ok(second.includes(`${histogram}_bucket{le="0.0005",${labels}} 2`))
  assert.ok(second.includes(`${histogram}_bucket{le="0.025",${labels}} 2`))
  assert.ok(second.includes(`${histogram}_bucket{le="0.05",${labels}} 3`))
  assert.ok(second.includes(`${histogram}_count{${labels}} 3`))
})

test('the interval gauges pool the published bands of every symbol, NaN before any', async () => {
  const views = createViews({ maxBarsPerSymbol: 10 })
  const metrics = createPredictorMetrics({ views })
  const before = await linesOf(metrics)
  // prom-client writes NaN as Nan, which Prometheus parses (case-insensitively) as NaN.
  assert.ok(before.includes('quotecast_qlike Nan'))
  assert.ok(before.includes('quotecast_coverage{level="0.8",fifth="3"} Nan'))
  assert.ok(before.includes('quotecast_interval_scored_bars 0'))
  // Two symbols' interval sums (n, Σ Winkler 80 and 95, Σ QLIKE, markers, then per fifth n and hits).
  const intervalsOf = (n: number, w80: number, w95: number, q: number, fifths: number[]) => [
    n,
    w80,
    w95,
    q,
    ...Array.from({ length: 12 }, () => null),
    ...fifths,
    ...Array.from({ length: 20 }, () => null),
  ]
  const fifths = (k: number) => [k, k - 1, k, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * k, k, 2 * k]
  for (const [symbol, intervals] of [
    ['A', intervalsOf(3, 0.3, 0.6, 3, fifths(2))],
    ['B', intervalsOf(5, 0.1, 0.2, 1, fifths(3))],
  ] as const) {
    views.apply(
      {
        kind: 'model',
        snapshot: { symbol, interval: '1d', intervals } as unknown as ModelSnapshot,
      },
      0,
    )
  }
  const lines = await linesOf(metrics)
  for (const line of [
    'quotecast_interval_scored_bars 8',
    'quotecast_interval_score{level="0.8"} 0.05',
    'quotecast_interval_score{level="0.95"} 0.1',
    'quotecast_qlike 0.5',
    // Fifth 1: 5 bars, 3 and 5 hits; fifth 5: 10 bars, 5 and 10 hits; the others none.
    'quotecast_coverage{level="0.8",fifth="1"} 0.6',
    'quotecast_coverage{level="0.95",fifth="1"} 1',
    'quotecast_coverage{level="0.8",fifth="2"} Nan',
    'quotecast_coverage{level="0.8",fifth="5"} 0.5',
    'quotecast_coverage{level="0.95",fifth="5"} 1',
  ])
    assert.ok(lines.includes(line), line)
})

test('the horizon gauges pool the 5- and 20-bar intervals of every symbol, NaN before any', async () => {
  const views = createViews({ maxBarsPerSymbol: 10 })
  const metrics = createPredictorMetrics({ views })
  const before = await linesOf(metrics)
  assert.ok(before.includes('quotecast_horizon_coverage{horizon="5",level="0.8"} Nan'))
  assert.ok(before.includes('quotecast_horizon_scored_forecasts{horizon="20"} 0'))
  const options = resolveTrainerOptions()
  const expected = new Map<number, [number, number]>()
  for (const [symbol, closes] of [
    ['A', Array.from({ length: 80 }, (_, t) => 100 + 3 * Math.sin(t / 3))],
    ['B', Array.from({ length: 120 }, (_, t) => 50 + Math.cos(t / 5) + 0.01 * t)],
  ] as const) {
    const state = createTrainerState(options, symbol, '1d')
    for (const row of syntheticFeatureRows(closes, symbol)) trainStep(options, state, row)
    for (const scores of horizonScores(state.horizons)) {
      const [n, hits] = expected.get(scores.horizon) ?? [0, 0]
      expected.set(scores.horizon, [n + scores.n, hits + scores.n * (scores.coverage80 ?? 0)])
    }
    views.apply({ kind: 'model', snapshot: toSnapshot(state) }, 0)
  }
  const lines = await linesOf(metrics)
  for (const [horizon, [n, hits]] of expected) {
    assert.ok(n > 0, `${horizon} bars scored`)
    assert.ok(
      lines.includes(`quotecast_horizon_scored_forecasts{horizon="${horizon}"} ${n}`),
      `${horizon}: n`,
    )
    assert.ok(
      lines.includes(`quotecast_horizon_coverage{horizon="${horizon}",level="0.8"} ${hits / n}`),
      `${horizon}: coverage 80`,
    )
  }
})
