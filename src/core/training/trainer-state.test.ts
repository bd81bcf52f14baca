import assert from 'node:assert/strict'
import { test } from 'node:test'
import { initialConformalBand } from '../model/conformal-band.ts'
import { createModelState } from '../model/model-spec.ts'
import { emptyScoreSums } from '../metrics/score-sums.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'
import { trainStep } from './train-step.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { fromSnapshot, toSnapshot } from './trainer-snapshot.ts'
import { createTrainerState, type TrainerState } from './trainer-state.ts'

const trainerOptions = resolveTrainerOptions()

/**
 * Every typed array of the state: the served scores, the volatility, each model's inputs, band,
 * scores and state, then each variance model's scores and state.
 */
const arraysOf = (state: TrainerState): Float64Array[] => [
  state.servedScores,
  state.volatility,
  ...state.models.flatMap((slot) => [slot.inputs, slot.band, slot.scores, slot.state]),
  ...state.variances.flatMap((slot) => [slot.scores, slot.state]),
  state.horizons,
  state.timeOfDay,
]

/** A state trained on 60 rows, and one restored from its snapshot. */
function trainedAndRestored(): [TrainerState, TrainerState] {
  const closes = Array.from({ length: 60 }, (_, t) => 100 + Math.sin(t))
  const live = createTrainerState(trainerOptions, 'AAPL', '1d')
  for (const row of syntheticFeatureRows(closes, 'AAPL')) trainStep(trainerOptions, live, row)
  const restored = fromSnapshot(trainerOptions, toSnapshot(live))
  assert.ok(restored.ok)
  return [live, restored.value]
}

test('a new state starts every model without inputs, with the Gaussian band, no scores and its initial state', () => {
  const state = createTrainerState(trainerOptions, 'AAPL', '1d')
  assert.deepEqual(state.servedScores, emptyScoreSums())
  assert.deepEqual(state.volatility, new Float64Array(3))
  for (const slot of state.models) {
    assert.deepEqual(slot.inputs, new Float64Array(slot.spec.features.length).fill(Number.NaN))
    assert.deepEqual(slot.band, initialConformalBand())
    assert.deepEqual(slot.scores, emptyScoreSums())
    assert.deepEqual(slot.state, createModelState(slot.spec))
  }
})

test('each model’s state, new or restored, is one Float64Array of its layout’s length', () => {
  for (const state of [createTrainerState(trainerOptions, 'AAPL', '1d'), ...trainedAndRestored()]) {
    for (const slot of state.models) {
      assert.ok(slot.state instanceof Float64Array, slot.id)
      assert.equal(slot.state.length, slot.spec.layout.length, slot.id)
    }
    for (const slot of state.variances) assert.ok(slot.state instanceof Float64Array, slot.id)
  }
})

test('the arrays of a symbol, new or restored, are views of one buffer that do not overlap', () => {
  for (const state of [createTrainerState(trainerOptions, 'AAPL', '1d'), ...trainedAndRestored()]) {
    const arrays = arraysOf(state)
    const { buffer } = state.servedScores
    assert.ok(arrays.every((array) => array.buffer === buffer))
    const bytes = arrays.reduce((sum, array) => sum + array.byteLength, 0)
    assert.equal(bytes, buffer.byteLength)
    const ends = arrays.map((array) => array.byteOffset + array.byteLength)
    assert.deepEqual(
      arrays.map((array) => array.byteOffset),
      [0, ...ends.slice(0, -1)],
    )
  }
})
