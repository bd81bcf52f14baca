import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Bar } from '../../../core/contracts/bar.ts'
import type { ModelSnapshot } from '../../../core/contracts/model-snapshot.ts'
import type { Prediction } from '../../../core/contracts/prediction.ts'
import { createViews, type ViewChange } from './create-views.ts'

const DAY = 86_400_000
const T0 = Date.UTC(2024, 0, 2)

const bar = (symbol: string, day: number, close: number): Bar => ({
  schema: 1,
  symbol,
  interval: '1d',
  start: T0 + day * DAY,
  end: T0 + (day + 1) * DAY,
  open: close,
  high: close,
  low: close,
  close,
  volume: 0,
  count: 1,
})

const prediction = (symbol: string, forDay: number, point: number): Prediction => ({
  schema: 1,
  symbol,
  interval: '1d',
  forBarStart: T0 + forDay * DAY,
  basedOnBarStart: T0 + (forDay - 1) * DAY,
  horizon: 1,
  lastClose: point,
  predictedReturn: 0,
  point,
  intervals: { p80: { lower: point - 1, upper: point + 1 }, p95: { lower: point - 2, upper: point + 2 } },
  model: { id: 'rls', version: forDay },
  madeAt: T0 + (forDay - 1) * DAY,
})

const snapshot = (symbol: string, version: number): ModelSnapshot => ({
  schema: 2,
  symbol,
  interval: '1d',
  version,
  trainedThrough: T0 + version * DAY,
  served: 'naive',
  lastClose: 100,
  lastInputs: {},
  volatility: [1e-4, 1, 1],
  pendingSigma: null,
  servedScoreSums: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  models: [
    {
      id: 'naive',
      kind: 'naive',
      version: 1,
      state: {},
      band: [1.2815515655446004, 0.2, 1.959963984540054, 0.05],
      scoreSums: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      recentLossDiff: 0,
      pending: null,
    },
  ],
})

test('materialises bars, predictions and the latest model per symbol', () => {
  const views = createViews({ maxBarsPerSymbol: 3 })
  const changes: ViewChange[] = [
    { kind: 'bar', bar: bar('MSFT', 0, 10) },
    { kind: 'bar', bar: bar('AAPL', 0, 100) },
    { kind: 'prediction', prediction: prediction('AAPL', 1, 101) },
    { kind: 'model', snapshot: snapshot('AAPL', 1) },
    { kind: 'model', snapshot: snapshot('AAPL', 2) },
    ...[1, 2, 3, 4].map((day): ViewChange => ({ kind: 'bar', bar: bar('AAPL', day, 100 + day) })),
  ]
  changes.forEach((change, index) => views.apply(change, 1_000 + index))
  assert.deepEqual(views.symbols(), ['AAPL', 'MSFT'])
  const aapl = views.get('AAPL')
  assert.equal(aapl?.bars.size, 3)
  assert.equal(aapl.bars.last()?.close, 104)
  assert.equal(aapl.predictions.get(T0)?.point, 101)
  assert.equal(aapl.model?.version, 2)
  assert.equal(aapl.receivedAtMs, 1_000 + changes.length - 1)
  assert.equal(views.get('^GSPC'), undefined)
  assert.deepEqual(views.sizes(), { symbols: 2, bars: 4, predictions: 1, models: 1 })
})

test('tells subscribers of every applied change until they unsubscribe', () => {
  const views = createViews({ maxBarsPerSymbol: 10 })
  const seen: string[] = []
  const unsubscribe = views.subscribe((change) => seen.push(change.kind))
  views.apply({ kind: 'bar', bar: bar('AAPL', 0, 100) }, 1)
  views.apply({ kind: 'prediction', prediction: prediction('AAPL', 1, 100) }, 2)
  unsubscribe()
  views.apply({ kind: 'model', snapshot: snapshot('AAPL', 1) }, 3)
  assert.deepEqual(seen, ['bar', 'prediction'])
})
