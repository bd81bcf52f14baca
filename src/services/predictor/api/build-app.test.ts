import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { z } from 'zod'
import { buildTestApp, type TestApp } from '../../../../test/fixtures/predictor/build-test-app.ts'
import { resolveTrainerOptions } from '../../../core/training/trainer-options.ts'
import { evaluateSeries } from '../../../core/training/evaluate-series.ts'
import { featureRowsOfBars } from '../../../../test/support/expected-outputs.ts'
import {
  errorResponse,
  historyResponse,
  predictionResponse,
  scoresResponse,
  symbolsResponse,
} from './api-schemas.ts'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.app.close())

const getJson = async <S extends z.ZodType>(url: string, schema: S, status = 200): Promise<z.infer<S>> => {
  const response = await t.app.inject({ url })
  assert.equal(response.statusCode, status, `${url}: ${response.body}`)
  assert.match(String(response.headers['content-type']), /^application\/json/)
  return schema.parse(response.json())
}
const lastOf = <T>(items: readonly T[]): T => items.at(-1)!

test('GET /api/v1/symbols lists every symbol with its last close, latest prediction and served model', async () => {
  const body = await getJson('/api/v1/symbols', symbolsResponse)
  assert.deepEqual(
    body.symbols.map((s) => s.symbol),
    ['AAPL', '^GSPC'],
  )
  const aapl = body.symbols[0]!
  const last = lastOf(t.aapl)
  assert.equal(aapl.lastBar?.close, last.bar.close)
  assert.equal(aapl.dataAsOf, last.bar.start)
  assert.equal(aapl.latestPrediction?.point, lastOf(t.aapl.filter((s) => s.prediction)).prediction?.point)
  assert.deepEqual(aapl.model, {
    served: last.snapshot.served,
    version: last.snapshot.version,
    trainedThrough: last.bar.start,
  })
  assert.equal(aapl.bars, t.aapl.length)
})

test('GET /api/v1/predictions/{symbol} answers the next-bar prediction, ^ encoded or not', async () => {
  const expected = lastOf(t.gspc).prediction!
  for (const url of ['/api/v1/predictions/%5EGSPC', '/api/v1/predictions/^GSPC']) {
    const body = await getJson(url, predictionResponse)
    const { schema: _schema, ...fields } = expected
    assert.deepEqual(body, { ...fields, dataAsOf: lastOf(t.gspc).bar.start })
  }
})

test('GET /api/v1/history/{symbol} pairs each bar with the prediction made at the bar before it', async () => {
  const body = await getJson('/api/v1/history/AAPL?limit=3', historyResponse)
  assert.equal(body.count, 3)
  const steps = t.aapl.slice(-4)
  body.points.forEach((point, index) => {
    const bar = steps[index + 1]!.bar
    const made = steps[index]!.prediction!
    assert.equal(point.start, bar.start)
    assert.equal(point.close, bar.close)
    assert.equal(point.prediction?.point, made.point)
    assert.deepEqual(point.prediction.intervals, made.intervals)
    assert.ok(Math.abs(point.error!.value - (bar.close - made.point)) < 1e-9)
    assert.equal(
      point.error!.isInside95,
      bar.close >= made.intervals.p95.lower && bar.close <= made.intervals.p95.upper,
    )
  })
})

test('GET /api/v1/history/{symbol} filters by from and to, as epoch ms or ISO dates, and caps at limit', async () => {
  const day = (ms: number | undefined) =>
    ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 10)
  const cases: [string, number, string | undefined, string | undefined][] = [
    ['', 500, day(t.aapl.at(-500)?.bar.start), '2018-05-11'],
    ['?from=2018-01-02&to=2018-01-05', 4, '2018-01-02', '2018-01-05'],
    [`?from=${Date.UTC(2018, 0, 2)}&to=${Date.UTC(2018, 0, 5)}`, 4, '2018-01-02', '2018-01-05'],
    ['?from=2018-01-02T00:00:00Z&limit=2', 2, '2018-05-10', '2018-05-11'],
    ['?to=2013-05-14', 2, '2013-05-13', '2013-05-14'],
    ['?from=2030-01-01', 0, undefined, undefined],
  ]
  for (const [query, count, first, last] of cases) {
    const body = await getJson(`/api/v1/history/AAPL${query}`, historyResponse)
    assert.equal(body.count, count, query)
    assert.equal(day(body.points[0]?.start), first, query)
    assert.equal(day(body.points.at(-1)?.start), last, query)
  }
})

test('GET /api/v1/scores/{symbol} gives every model against naive and marks the served one', async () => {
  const body = await getJson('/api/v1/scores/AAPL', scoresResponse)
  const snapshot = lastOf(t.aapl).snapshot
  assert.equal(body.baseline, 'naive')
  assert.equal(body.served, snapshot.served)
  assert.deepEqual(
    body.models.map((m) => m.id),
    snapshot.models.map((m) => m.id),
  )
  assert.deepEqual(
    body.models.filter((m) => m.isServed).map((m) => m.id),
    [snapshot.served],
  )
  assert.equal(body.models.find((m) => m.isBaseline)?.scores.mase, 1)
})

test('GET /api/v1/scores/{symbol} judges the published band as evaluate does, keeping the 5 latest years', async () => {
  const body = await getJson('/api/v1/scores/AAPL', scoresResponse)
  const rows = featureRowsOfBars(t.aapl.map((step) => step.bar))
  const evaluation = evaluateSeries(resolveTrainerOptions(), rows)
  const { years, ...whole } = evaluation.intervals
  assert.ok(body.intervals !== null)
  assert.deepEqual({ ...body.intervals, years: [] }, { ...whole, years: [] })
  assert.deepEqual(body.intervals.years, years.slice(-5))
  // The figures of `quotecast evaluate --csv data/aapl.csv` (docs/benchmarks.md).
  const { n, winkler80, winkler95, qlike, fifths } = body.intervals
  assert.deepEqual(
    [n, winkler80?.toFixed(5), winkler95?.toFixed(5), qlike?.toFixed(4)],
    [1239, '0.05342', '0.08476', '1.8126'],
  )
  assert.deepEqual(
    fifths.map((f) => [f.n, f.coverage80?.toFixed(3), f.coverage95?.toFixed(3)]),
    [
      [222, '0.685', '0.910'],
      [298, '0.768', '0.950'],
      [261, '0.801', '0.966'],
      [232, '0.828', '0.953'],
      [226, '0.907', '0.965'],
    ],
  )
  assert.deepEqual(
    body.intervals.years.map((y) => [y.year, y.n, y.coverage80?.toFixed(3), y.coverage95?.toFixed(3)]),
    [
      [2014, 252, '0.790', '0.956'],
      [2015, 252, '0.806', '0.944'],
      [2016, 252, '0.813', '0.960'],
      [2017, 251, '0.785', '0.944'],
      [2018, 91, '0.758', '0.934'],
    ],
  )
})

test('unknown symbols are 404 and bad ones 400, both naming the parameter', async () => {
  for (const route of ['predictions', 'history', 'scores']) {
    const unknown = await getJson(`/api/v1/${route}/MSFT`, errorResponse, 404)
    assert.deepEqual(unknown, {
      statusCode: 404,
      error: 'unknown_symbol',
      message: 'unknown symbol "MSFT"',
      parameter: 'symbol',
    })
    for (const bad of ['aapl', 'A%20B', 'X'.repeat(33), '%3Cscript%3E', '%00']) {
      const body = await getJson(`/api/v1/${route}/${bad}`, errorResponse, 400)
      assert.equal(body.parameter, 'symbol', `${route}/${bad}`)
    }
  }
})

test('bad history parameters are 400 naming the parameter', async () => {
  const cases: [string, string][] = [
    ['limit=0', 'limit'],
    ['limit=5001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=', 'limit'],
    ['from=yesterday', 'from'],
    ['to=2018-13-45', 'to'],
    ['from=2018-02-01&to=2018-01-01', 'to'],
    ['from=1&from=2', 'from'],
    ['sort=desc', 'sort'],
  ]
  for (const [query, parameter] of cases) {
    const body = await getJson(`/api/v1/history/AAPL?${query}`, errorResponse, 400)
    assert.equal(body.parameter, parameter, query)
    assert.ok(body.message.startsWith(`${parameter}: `), body.message)
  }
})

test('a symbol with bars but no prediction or model yet is a 404 saying so', async () => {
  t.views.apply({ kind: 'bar', bar: { ...t.aapl[0]!.bar, symbol: 'NEW' } }, 0)
  assert.equal((await getJson('/api/v1/predictions/NEW', errorResponse, 404)).error, 'no_prediction')
  assert.equal((await getJson('/api/v1/scores/NEW', errorResponse, 404)).error, 'no_model')
  assert.equal((await getJson('/api/v1/history/NEW', historyResponse)).count, 1)
})
