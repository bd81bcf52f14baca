import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FeatureRow } from '../contracts/feature-row.ts'
import { INTERVAL_MS, type Interval } from '../contracts/primitives.ts'
import { predictionSchema } from '../contracts/prediction.ts'
import { EXCHANGE_CALENDARS, type ExchangeId } from '../schedule/exchange-calendars.ts'
import { buildPrediction } from './build-prediction.ts'

const inputs = { modelId: 'naive', version: 7, predictedReturn: 0, half80: 0.01, half95: 0.02, horizons: [] }

function rowAt(symbol: string, interval: Interval, start: string, endMs?: number): FeatureRow {
  const barStart = Date.parse(start)
  return {
    schema: 1,
    symbol,
    interval,
    barStart,
    barEnd: endMs ?? barStart + INTERVAL_MS[interval],
    close: 100,
    featureVersion: 1,
    gapBars: 0,
    values: {},
  }
}

test('a prediction is for the next session (daily) or the next bar inside a session (intraday)', () => {
  const cases: [ExchangeId, FeatureRow, string, string][] = [
    ['US', rowAt('AAPL', '1d', '2016-09-16T00:00:00Z'), '2016-09-19T00:00:00.000Z', 'Friday → Monday'],
    [
      'US',
      rowAt('AAPL', '1d', '2025-08-29T00:00:00Z'),
      '2025-09-02T00:00:00.000Z',
      'Friday → Tuesday after Labor Day',
    ],
    [
      'PSE',
      rowAt('JFC', '1d', '2024-04-08T00:00:00Z'),
      '2024-04-11T00:00:00.000Z',
      'Manila, past two holidays',
    ],
    ['US', rowAt('AAPL', '1h', '2024-01-04T19:30:00Z'), '2024-01-04T20:30:00.000Z', '14:30 → 15:30'],
    [
      'US',
      rowAt('AAPL', '1h', '2024-01-04T20:30:00Z', Date.parse('2024-01-04T21:00:00Z')),
      '2024-01-05T14:30:00.000Z',
      'the short 15:30 bar → the next 09:30',
    ],
    [
      'US',
      rowAt('AAPL', '1h', '2024-01-04T20:00:00Z'),
      '2024-01-05T14:30:00.000Z',
      'an off-grid 15:00 hour bar → 09:30',
    ],
    [
      'PSE',
      rowAt('JFC', '1h', '2022-10-14T03:30:00Z', Date.parse('2022-10-14T04:00:00Z')),
      '2022-10-14T05:00:00.000Z',
      'Manila 11:30 → 13:00',
    ],
  ]
  for (const [exchange, row, forBarStart, why] of cases) {
    const prediction = buildPrediction(row, inputs, EXCHANGE_CALENDARS[exchange])
    assert.equal(new Date(prediction.forBarStart).toISOString(), forBarStart, why)
    assert.equal(prediction.basedOnBarStart, row.barStart, why)
    assert.equal(prediction.madeAt, row.barEnd, `${why}: madeAt is the row's event time`)
    assert.ok(predictionSchema.safeParse(prediction).success, why)
  }
})

test('the 5- and 20-bar forecasts are dated that many sessions ahead, with their bands around the point', () => {
  const horizons = [
    { horizon: 5, predicted: 0.001, sigma: 0.03, half80: 0.04, half95: 0.06 },
    { horizon: 20, predicted: 0.001, sigma: 0.06, half80: 0.08, half95: 0.12 },
  ]
  const row = rowAt('AAPL', '1d', '2024-11-22T00:00:00Z')
  const prediction = buildPrediction(
    row,
    { ...inputs, predictedReturn: 0.001, horizons },
    EXCHANGE_CALENDARS.US,
  )
  assert.ok(predictionSchema.safeParse(prediction).success)
  assert.equal(prediction.horizon, 1)
  assert.deepEqual(prediction.horizons, [
    {
      horizon: 5,
      // Past Thanksgiving: 25, 26, 27, 29 November, 2 December.
      forBarStart: Date.parse('2024-12-02T00:00:00Z'),
      predictedReturn: 0.001,
      point: 100 * Math.exp(0.001),
      intervals: {
        p80: { lower: 100 * Math.exp(0.001 - 0.04), upper: 100 * Math.exp(0.001 + 0.04) },
        p95: { lower: 100 * Math.exp(0.001 - 0.06), upper: 100 * Math.exp(0.001 + 0.06) },
      },
    },
    {
      horizon: 20,
      forBarStart: Date.parse('2024-12-23T00:00:00Z'),
      predictedReturn: 0.001,
      point: 100 * Math.exp(0.001),
      intervals: {
        p80: { lower: 100 * Math.exp(0.001 - 0.08), upper: 100 * Math.exp(0.001 + 0.08) },
        p95: { lower: 100 * Math.exp(0.001 - 0.12), upper: 100 * Math.exp(0.001 + 0.12) },
      },
    },
  ])
})
