import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMedianModel } from './median-model.ts'
import { createModelState } from './model-spec.ts'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'

test('tracks the median, not the mean, of a skewed return distribution', () => {
  const model = createMedianModel({ id: 'median', step: 0.01, scaleDecay: 0.99, warmupBars: 20 })
  const random = seededRandom(3)
  const state = createModelState(model)
  assert.ok(Number.isNaN(model.predict(state, [])))
  // Exponential(1) − 1 scaled: mean 0, median ln 2 − 1 ≈ −0.307, times 0.01.
  for (let t = 0; t < 20000; t++) model.update(state, [], 0.01 * (-Math.log(1 - random.uniform()) - 1))
  const forecast = model.predict(state, [])
  assert.ok(Math.abs(forecast - 0.01 * (Math.LN2 - 1)) < 0.0006, `forecast ${forecast}`)
})
