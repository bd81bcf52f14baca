import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'
import { SIGMA_TILT, VARIANCE_SCORE } from './trainer-state.ts'
import { learnSigmaTilt, servedSigma, varianceDm, varianceForecast } from './variance-step.ts'

/** Closes whose returns follow a GARCH(1,1) (α 0.1, β 0.88): volatility that an EWMA 0.85 tracks worse. */
function garchCloses(seed: number, length: number): number[] {
  const random = seededRandom(seed)
  let h = 1e-4
  const closes = [100]
  for (let t = 0; t < length; t++) {
    const r = Math.sqrt(h) * random.normal()
    closes.push(closes.at(-1)! * Math.exp(r))
    h = 0.02 * 1e-4 + 0.1 * r * r + 0.88 * h
  }
  return closes
}

test('a challenger that beats EWMA significantly by QLIKE is served and sets the band’s σ', () => {
  const trainerOptions = resolveTrainerOptions()
  const rows = syntheticFeatureRows(garchCloses(7, 3000))
  const state = createTrainerState(trainerOptions, rows[0]!.symbol, '1d')
  for (const row of rows) trainStep(trainerOptions, state, row)
  const garch = state.variances.find((slot) => slot.id === 'garch')!
  assert.ok(varianceDm(garch)! < -2.326, `DM ${varianceDm(garch)}`)
  const served = state.variances[state.servedVariance]!
  assert.notEqual(served.id, 'ewma')
  assert.ok(varianceDm(served)! <= -2.326)
  assert.equal(state.pendingSigma, Math.sqrt(served.scores[VARIANCE_SCORE.pending]!))
})

test('a scored bar names the variance model that made its σ, a challenger while one is served', () => {
  const trainerOptions = resolveTrainerOptions()
  const rows = syntheticFeatureRows(garchCloses(7, 3000))
  const state = createTrainerState(trainerOptions, rows[0]!.symbol, '1d')
  const named = new Set<string>()
  for (const row of rows) {
    const sigma = state.pendingSigma
    const made = state.variances[state.servedVariance]!.id
    const { scored } = trainStep(trainerOptions, state, row, true)
    if (scored === null) continue
    assert.equal(scored.sigma, sigma)
    assert.equal(scored.varianceModel, made)
    named.add(scored.varianceModel)
  }
  assert.ok(named.has('ewma') && named.size > 1, [...named].join(', '))
})

test('while no challenger may be served, the predictions are those of the EWMA alone, bit for bit', () => {
  const never = resolveTrainerOptions({ serving: { minScoredBars: Number.POSITIVE_INFINITY } })
  const ewmaOnly = resolveTrainerOptions({
    varianceModels: [],
    serving: { minScoredBars: Number.POSITIVE_INFINITY },
  })
  const rows = syntheticFeatureRows(garchCloses(8, 800))
  const a = createTrainerState(never, rows[0]!.symbol, '1d')
  const b = createTrainerState(ewmaOnly, rows[0]!.symbol, '1d')
  for (const row of rows)
    assert.deepEqual(trainStep(never, a, row).prediction, trainStep(ewmaOnly, b, row).prediction)
  assert.equal(a.servedVariance, 0)
})

test('a challenger is served only with 250 scored bars and DM ≤ −2.326; rows without a range leave the range model out', () => {
  const trainerOptions = resolveTrainerOptions()
  const rows = syntheticFeatureRows(garchCloses(9, 1500)).map(
    ({ open: _open, high: _high, low: _low, ...row }) => row,
  )
  const state = createTrainerState(trainerOptions, rows[0]!.symbol, '1d')
  for (const row of rows) {
    trainStep(trainerOptions, state, row)
    const served = state.variances[state.servedVariance]!
    if (served.id === 'ewma') continue
    assert.ok(served.scores[VARIANCE_SCORE.n]! >= 250)
    assert.ok(varianceDm(served)! <= -2.326)
    assert.ok(served.scores[VARIANCE_SCORE.recentLossDiff]! < 0)
  }
  const range = state.variances.find((slot) => slot.id === 'range')!
  assert.equal(range.scores[VARIANCE_SCORE.n], 0)
  assert.ok(Number.isNaN(range.scores[VARIANCE_SCORE.pending]!))
})

test('the σ-tilt lowers κ on misses where σ is low and raises it on hits there; κ = 0 gives σ̄', () => {
  const trainerOptions = resolveTrainerOptions({ sigmaTiltStep: 0.01 })
  const rows = syntheticFeatureRows(garchCloses(10, 60))
  const state = createTrainerState(trainerOptions, rows[0]!.symbol, '1d')
  for (const row of rows) trainStep(trainerOptions, state, row)
  const tilt = state.variances[0]!.state
  tilt[SIGMA_TILT.kappa] = 1
  tilt[SIGMA_TILT.pendingZ] = -1
  learnSigmaTilt(trainerOptions, state, 1, 0.5, 0.8)
  assert.ok(Math.abs(tilt[SIGMA_TILT.kappa]! - (1 - 0.01 * (0.8 + 0.95) * -1 * -1)) < 1e-12)
  tilt[SIGMA_TILT.kappa] = 1
  learnSigmaTilt(trainerOptions, state, 0.1, 0.5, 0.8)
  assert.ok(Math.abs(tilt[SIGMA_TILT.kappa]! - (1 + 0.01 * 0.25)) < 1e-12)
  const off = resolveTrainerOptions()
  tilt[SIGMA_TILT.kappa] = 1
  learnSigmaTilt(off, state, 1, 0.5, 0.8)
  assert.equal(tilt[SIGMA_TILT.kappa], 1)
  const untilted = servedSigma(trainerOptions, state)
  tilt[SIGMA_TILT.kappa] = 0
  const longRun = Math.sqrt(tilt[SIGMA_TILT.sumSq]! / tilt[SIGMA_TILT.count]!)
  assert.ok(Math.abs(servedSigma(trainerOptions, state) / longRun - 1) < 1e-12)
  assert.notEqual(untilted, longRun)
})

test('the pool forecasts the mean of the forecasts of EWMA and the challengers before it, at every horizon', () => {
  const trainerOptions = resolveTrainerOptions()
  const rows = syntheticFeatureRows(garchCloses(11, 400))
  const state = createTrainerState(trainerOptions, rows[0]!.symbol, '1d')
  const at = state.variances.findIndex((slot) => slot.id === 'pool')
  assert.equal(at, state.variances.length - 1)
  let pooled = 0
  for (const row of rows) {
    trainStep(trainerOptions, state, row)
    const members = state.variances.slice(0, at).map((slot) => slot.scores[VARIANCE_SCORE.pending]!)
    const pending = state.variances[at]!.scores[VARIANCE_SCORE.pending]!
    const forecasting = members.filter((value) => !Number.isNaN(value))
    if (forecasting.length === 0) {
      assert.ok(Number.isNaN(pending))
      continue
    }
    const mean = forecasting.reduce((sum, value) => sum + value, 0) / forecasting.length
    assert.ok(Math.abs(pending / mean - 1) < 1e-12)
    if (forecasting.length === at) {
      pooled++
      const ahead = state.variances.slice(0, at).map((_slot, i) => varianceForecast(state, i, 20))
      assert.equal(ahead[0], 20 * members[0]!)
      const meanAhead = ahead.reduce((sum, value) => sum + value, 0) / at
      assert.ok(Math.abs(varianceForecast(state, at, 20) / meanAhead - 1) < 1e-12)
    }
  }
  assert.ok(pooled > 300, `bars with every member forecasting: ${pooled}`)
})
