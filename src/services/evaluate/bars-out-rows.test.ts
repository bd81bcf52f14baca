import assert from 'node:assert/strict'
import { test } from 'node:test'
import { barsOutRows, BARS_OUT_HEADER } from './bars-out-rows.ts'

test('one row per horizon of the published forecast, bounds as log returns around it', () => {
  const bar = {
    barStart: Date.UTC(2024, 0, 2, 14, 30),
    actual: -0.01,
    served: 'rls',
    sigma: 0.02,
    varianceModel: 'ewma',
    forecasts: [
      { id: 'naive', predicted: 0, actual: -0.01, half80: 0.025, half95: 0.04 },
      { id: 'rls', predicted: 0.001, actual: -0.01, half80: 0.026, half95: 0.039 },
    ],
    horizons: [
      {
        horizon: 5,
        predicted: 0.002,
        sigma: 0.05,
        half80: 0.064,
        half95: 0.098,
        actual: 0.03,
        served: 'naive',
        varianceModel: 'garch',
      },
    ],
  }
  assert.equal(BARS_OUT_HEADER.split(',').length, 11)
  assert.deepEqual(barsOutRows(bar), [
    `2024-01-02T14:30:00.000Z,1,-0.01,0.001,0.02,${String(0.001 - 0.026)},0.027,-0.038,0.04,rls,ewma`,
    `2024-01-02T14:30:00.000Z,5,0.03,0.002,0.05,${[0.002 - 0.064, 0.002 + 0.064, 0.002 - 0.098, 0.002 + 0.098].map(String).join(',')},naive,garch`,
  ])
  assert.deepEqual(barsOutRows({ ...bar, served: 'gone' }), [])
})
