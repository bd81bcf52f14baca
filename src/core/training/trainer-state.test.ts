import assert from 'node:assert/strict'
import { test } from 'node:test'
import { initialConformalBand } from '../model/conformal-band.ts'
import { emptyScoreSums } from '../metrics/score-sums.ts'
import { createSymbolTrainer } from './create-symbol-trainer.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'
import type { TrainerState } from './trainer-state.ts'

const trainer = createSymbolTrainer()

/** Every typed array of the state: the served scores, then each model's inputs, band and scores. */
const arraysOf = (state: TrainerState): Float64Array[] => [
  state.servedScores,
  ...state.models.flatMap((slot) => [slot.inputs, slot.band, slot.scores]),
]

test('a new state starts every model without inputs, with the Gaussian band and no scores', () => {
  const state = trainer.init('AAPL', '1d')
  assert.deepEqual(state.servedScores, emptyScoreSums())
  for (const slot of state.models) {
    assert.deepEqual(slot.inputs, new Float64Array(slot.spec.features.length).fill(Number.NaN))
    assert.deepEqual(slot.band, initialConformalBand())
    assert.deepEqual(slot.scores, emptyScoreSums())
  }
})

test('the arrays of a symbol, new or restored, are views of one buffer that do not overlap', () => {
  const closes = Array.from({ length: 60 }, (_, t) => 100 + Math.sin(t))
  const live = trainer.init('AAPL', '1d')
  for (const row of syntheticFeatureRows(closes, 'AAPL')) trainer.step(live, row)
  const restored = trainer.fromSnapshot(trainer.toSnapshot(live))
  assert.ok(restored.ok)
  for (const state of [trainer.init('AAPL', '1d'), live, restored.value]) {
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
