import assert from 'node:assert/strict'
import { test } from 'node:test'
import { predictionSchema } from '../contracts/prediction.ts'
import { naiveModel } from '../model/naive-model.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { toSnapshot } from './trainer-snapshot.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'
import { SCORE } from '../metrics/score-sums.ts'
import type { TrainerState } from './trainer-state.ts'

const trainerOptions = resolveTrainerOptions({ models: [naiveModel], warmupBars: 2 })
const rows = syntheticFeatureRows([100, 101, 100, 101.5, 103])
const Z80 = 1.2815515655446004
const Z95 = 1.959963984540054

const runRows = (count: number): TrainerState =>
  rows
    .slice(0, count)
    .reduce(
      (state, row) => trainStep(trainerOptions, state, row).state,
      createTrainerState(trainerOptions, 'TEST', '1d'),
    )

test('predicts once volatility is warm, then scores that forecast against the next return', () => {
  let state = createTrainerState(trainerOptions, 'TEST', '1d')
  const outputs = rows.slice(0, 4).map((row) => {
    const result = trainStep(trainerOptions, state, row, true)
    state = result.state
    return result
  })
  assert.deepEqual(
    outputs.map((o) => [o.prediction !== null, o.scored !== null]),
    [
      [false, false],
      [false, false],
      [true, false],
      [true, true],
    ],
  )
  // σ² after two returns with decay 0.85: (0.85 r1² + r2²) / 1.85.
  const r1 = Math.log(101 / 100)
  const r2 = Math.log(100 / 101)
  const sigma = Math.sqrt((0.85 * r1 * r1 + r2 * r2) / 1.85)
  const prediction = outputs[2]!.prediction!
  assert.equal(prediction.point, 100)
  assert.equal(prediction.model.id, 'naive')
  assert.equal(prediction.model.version, 3)
  assert.ok(Math.abs(prediction.intervals.p80.lower - 100 * Math.exp(-Z80 * sigma)) < 1e-9)
  assert.ok(Math.abs(prediction.intervals.p95.upper - 100 * Math.exp(Z95 * sigma)) < 1e-9)
  // rows[2] is Friday 3 January 2020 (TEST is a US symbol): its forecast is for Monday's session.
  assert.equal(new Date(rows[2]!.barStart).getUTCDay(), 5)
  assert.equal(prediction.forBarStart, Date.parse('2020-01-06T00:00:00Z'))
  assert.equal(prediction.basedOnBarStart, rows[2]!.barStart)
  assert.equal(prediction.madeAt, rows[2]!.barEnd)
  assert.ok(predictionSchema.safeParse(prediction).success)
  const scored = outputs[3]!.scored!
  assert.equal(scored.barStart, rows[3]!.barStart)
  assert.equal(scored.served, 'naive')
  assert.ok(Math.abs(scored.actual - Math.log(101.5 / 100)) < 1e-15)
  assert.deepEqual(
    scored.forecasts.map((f) => [f.id, f.predicted]),
    [['naive', 0]],
  )
  assert.ok(Math.abs(scored.forecasts[0]!.half80 - Z80 * sigma) < 1e-15)
  // ln 1.015 = 0.0149 is above 1.28σ = 0.0128 (σ ≈ 0.00995) and below 1.96σ = 0.0195.
  assert.equal(state.models[0]!.scores[SCORE.hits80], 0)
  assert.equal(state.models[0]!.scores[SCORE.hits95], 1)
})

test('a row at or before the last trained bar is ignored, so replays are idempotent', () => {
  const state = runRows(4)
  const before = toSnapshot(state)
  const result = trainStep(trainerOptions, state, rows[2]!)
  assert.deepEqual(toSnapshot(state), before)
  assert.equal(result.isStale, true)
  assert.equal(result.state, state)
  assert.equal(result.prediction, null)
})

test('a row after a gap of more than a week of daily bars neither scores nor trains, but forecasts', () => {
  const state = runRows(4)
  const before = toSnapshot(state)
  const gapped = { ...rows[4]!, gapBars: 6 }
  const result = trainStep(trainerOptions, state, gapped, true)
  const after = toSnapshot(result.state)
  assert.equal(result.scored, null)
  assert.deepEqual(after.volatility, before.volatility)
  assert.deepEqual(after.models[0]!.scoreSums, before.models[0]!.scoreSums)
  assert.equal(result.prediction?.lastClose, 103)
  const afterHoliday = trainStep(trainerOptions, runRows(4), { ...rows[4]!, gapBars: 1 }, true)
  assert.notEqual(afterHoliday.scored, null, 'a holiday is no gap in the sessions')
})

test('changes the state it is given in place, and nothing else', () => {
  const state = runRows(4)
  const other = runRows(4)
  const snapshot = toSnapshot(state)
  const row = structuredClone(rows[4]!)
  const result = trainStep(trainerOptions, state, row)
  assert.equal(result.state, state)
  assert.equal(state.version, 5)
  assert.deepEqual(row, rows[4])
  assert.deepEqual(toSnapshot(other), snapshot, 'states share nothing')
  assert.notDeepEqual(toSnapshot(state), snapshot)
})

test('scored forecasts only when asked for', () => {
  assert.equal(trainStep(trainerOptions, runRows(4), rows[4]!).scored, null)
  assert.notEqual(trainStep(trainerOptions, runRows(4), rows[4]!, true).scored, null)
})

test('a row of another symbol is a broken invariant and throws', () => {
  const state = runRows(1)
  assert.throws(() => trainStep(trainerOptions, state, { ...rows[1]!, symbol: 'OTHER' }), /OTHER/)
})
