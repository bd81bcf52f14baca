import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FeatureRow } from '../contracts/feature-row.ts'
import { INTERVAL_MS, type Interval } from '../contracts/primitives.ts'
import { predictionSchema } from '../contracts/prediction.ts'
import { EXCHANGE_CALENDARS, type ExchangeId } from '../schedule/exchange-calendars.ts'
import { buildPrediction } from './build-prediction.ts'

const inputs = { modelId: 'naive', version: 7, predictedReturn: 0, half80: 0.01, half95: 0.02 }

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
