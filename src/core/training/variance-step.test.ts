import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seededRandom } from '../model/seeded-random.ts'
import { createSymbolTrainer } from './create-symbol-trainer.ts'
import { syntheticFeatureRows } from './synthetic-feature-rows.ts'
import { VARIANCE_SCORE } from './trainer-state.ts'
import { varianceDm } from './variance-step.ts'

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
