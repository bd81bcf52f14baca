import assert from 'node:assert/strict'
import { test } from 'node:test'
import { naiveModel } from '../model/naive-model.ts'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { evaluateSeries } from './evaluate-series.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'

const DAY_MS = 86_400_000
const START = Date.UTC(2000, 0, 1)
// Known volatility regimes, abrupt switches both ways, 800 bars each.
const SIGMAS = [0.01, 0.04, 0.005, 0.02, 0.06, 0.01]
const REGIME_BARS = 800

/** Student-t (4 df) returns scaled to unit variance: fat tails, as real returns have. */
function syntheticCloses(seed: number): number[] {
  const random = seededRandom(seed)
  const closes = [100]
  for (const sigma of SIGMAS) {
    for (let t = 0; t < REGIME_BARS; t++) {
      let chi2 = 0
      for (let k = 0; k < 4; k++) chi2 += random.normal() ** 2
      const z = random.normal() / Math.sqrt(chi2 / 4) / Math.SQRT2
      closes.push(closes.at(-1)! * Math.exp(sigma * z))
    }
  }
  return closes
}

const regime = (i: number) => ({
  fromMs: START + (1 + i * REGIME_BARS) * DAY_MS,
  toMs: START + (1 + (i + 1) * REGIME_BARS) * DAY_MS,
})

test('intervals hold 80 % and 95 % coverage overall and within every volatility regime', () => {
  const trainerOptions = resolveTrainerOptions({ models: [naiveModel] })
  for (const seed of [1, 2, 3]) {
    const rows = syntheticFeatureRows(syntheticCloses(seed), 'SYN', START)
    const overall = evaluateSeries(trainerOptions, rows).servedStream
    assert.ok(
      Math.abs(overall.coverage80! - 0.8) < 0.005,
      `seed ${seed}: overall 80 % coverage ${overall.coverage80}`,
    )
    assert.ok(
      Math.abs(overall.coverage95! - 0.95) < 0.005,
      `seed ${seed}: overall 95 % coverage ${overall.coverage95}`,
    )
    SIGMAS.forEach((sigma, i) => {
      const scores = evaluateSeries(trainerOptions, rows, regime(i)).servedStream
      assert.ok(
        Math.abs(scores.coverage80! - 0.8) < 0.015,
        `seed ${seed}, σ ${sigma}: 80 % coverage ${scores.coverage80}`,
      )
      assert.ok(
        Math.abs(scores.coverage95! - 0.95) < 0.01,
        `seed ${seed}, σ ${sigma}: 95 % coverage ${scores.coverage95}`,
      )
      // The width follows the regime's volatility: 2 × 1.28σ at 80 % for a calibrated σ.
      assert.ok(
        Math.abs(scores.width80! / (2 * 1.28 * sigma) - 1) < 0.25,
        `seed ${seed}, σ ${sigma}: width ${scores.width80}`,
      )
    })
  }
})

test('without the conformal correction the same EWMA intervals miss their coverage', () => {
  const fixed = resolveTrainerOptions({ models: [naiveModel], band: { quantileStep: 0, aciStep: 0 } })
  const rows = syntheticFeatureRows(syntheticCloses(1), 'SYN', START)
  const overall = evaluateSeries(fixed, rows).servedStream
  // Gaussian quantiles on fat-tailed returns with a lagging σ: 95 % intervals cover about 92 %.
  assert.ok(0.95 - overall.coverage95! > 0.02, `95 % coverage ${overall.coverage95}`)
})
