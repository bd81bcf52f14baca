import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { createSymbolTrainer } from './create-symbol-trainer.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'
import { SIGMA_TILT, VARIANCE_SCORE } from './trainer-state.ts'
import { learnSigmaTilt, servedSigma, varianceDm } from './variance-step.ts'

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
  const trainer = createSymbolTrainer()
  const rows = syntheticFeatureRows(garchCloses(7, 3000))
  const state = trainer.init(rows[0]!.symbol, '1d')
  for (const row of rows) trainer.step(state, row)
  const garch = state.variances.find((slot) => slot.id === 'garch')!
  assert.ok(varianceDm(garch)! < -2.326, `DM ${varianceDm(garch)}`)
  const served = state.variances[state.servedVariance]!
  assert.notEqual(served.id, 'ewma')
  assert.ok(varianceDm(served)! <= -2.326)
  assert.equal(state.pendingSigma, Math.sqrt(served.scores[VARIANCE_SCORE.pending]!))
})

test('a scored bar names the variance model that made its σ, a challenger while one is served', () => {
  const trainer = createSymbolTrainer()
  const rows = syntheticFeatureRows(garchCloses(7, 3000))
  const state = trainer.init(rows[0]!.symbol, '1d')
  const named = new Set<string>()
  for (const row of rows) {
    const sigma = state.pendingSigma
    const made = state.variances[state.servedVariance]!.id
    const { scored } = trainer.step(state, row, true)
    if (scored === null) continue
    assert.equal(scored.sigma, sigma)
    assert.equal(scored.varianceModel, made)
    named.add(scored.varianceModel)
  }
  assert.ok(named.has('ewma') && named.size > 1, [...named].join(', '))
})

test('while no challenger may be served, the predictions are those of the EWMA alone, bit for bit', () => {
  const never = createSymbolTrainer({ serving: { minScoredBars: Number.POSITIVE_INFINITY } })
  const ewmaOnly = createSymbolTrainer({
    varianceModels: [],
    serving: { minScoredBars: Number.POSITIVE_INFINITY },
  })
  const rows = syntheticFeatureRows(garchCloses(8, 800))
  const a = never.init(rows[0]!.symbol, '1d')
  const b = ewmaOnly.init(rows[0]!.symbol, '1d')
  for (const row of rows) assert.deepEqual(never.step(a, row).prediction, ewmaOnly.step(b, row).prediction)
  assert.equal(a.servedVariance, 0)
})

test('a challenger is served only with 250 scored bars and DM ≤ −2.326; rows without a range leave the range model out', () => {
  const trainer = createSymbolTrainer()
  const rows = syntheticFeatureRows(garchCloses(9, 1500)).map(
    ({ open: _open, high: _high, low: _low, ...row }) => row,
  )
  const state = trainer.init(rows[0]!.symbol, '1d')
  for (const row of rows) {
    trainer.step(state, row)
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
  const trainer = createSymbolTrainer({ sigmaTiltStep: 0.01 })
  const rows = syntheticFeatureRows(garchCloses(10, 60))
  const state = trainer.init(rows[0]!.symbol, '1d')
  for (const row of rows) trainer.step(state, row)
  const tilt = state.variances[0]!.state
  tilt[SIGMA_TILT.kappa] = 1
  tilt[SIGMA_TILT.pendingZ] = -1
  learnSigmaTilt(trainer.options, state, 1, 0.5, 0.8)
  assert.ok(Math.abs(tilt[SIGMA_TILT.kappa]! - (1 - 0.01 * (0.8 + 0.95) * -1 * -1)) < 1e-12)
  tilt[SIGMA_TILT.kappa] = 1
  learnSigmaTilt(trainer.options, state, 0.1, 0.5, 0.8)
  assert.ok(Math.abs(tilt[SIGMA_TILT.kappa]! - (1 + 0.01 * 0.25)) < 1e-12)
  const off = createSymbolTrainer()
  tilt[SIGMA_TILT.kappa] = 1
  learnSigmaTilt(off.options, state, 1, 0.5, 0.8)
  assert.equal(tilt[SIGMA_TILT.kappa], 1)
  const untilted = servedSigma(trainer.options, state)
  tilt[SIGMA_TILT.kappa] = 0
  const longRun = Math.sqrt(tilt[SIGMA_TILT.sumSq]! / tilt[SIGMA_TILT.count]!)
  assert.ok(Math.abs(servedSigma(trainer.options, state) / longRun - 1) < 1e-12)
  assert.notEqual(untilted, longRun)
})
