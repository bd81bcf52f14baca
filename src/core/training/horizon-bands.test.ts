import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import {
  clearHorizonForecasts,
  HORIZON_STATE_LENGTH,
  horizonForecastsOf,
  horizonScores,
  initHorizonState,
  recordHorizonForecasts,
  scoreHorizons,
  type ScoredHorizonForecast,
} from './horizon-bands.ts'
import { DEFAULT_TRAINER_OPTIONS } from './trainer-options.ts'

const params = DEFAULT_TRAINER_OPTIONS.band
const fresh = (): Float64Array => {
  const s = new Float64Array(HORIZON_STATE_LENGTH)
  initHorizonState(s)
  return s
}

/** Publishes at every close and scores each horizon's forecast h closes later; returns what was scored. */
function run(s: Float64Array, logCloses: readonly number[], sigmaOf: (h: number) => number) {
  const scored: ScoredHorizonForecast[] = []
  for (const logClose of logCloses) {
    scoreHorizons(s, logClose, params, scored)
    recordHorizonForecasts(s, logClose, horizonForecastsOf(s, 0, sigmaOf), 2, 1)
  }
  return scored
}

test('each forecast is scored exactly h closes after it was made, against the sum of those h returns', () => {
  const s = fresh()
  const logCloses = Array.from({ length: 30 }, (_, t) => 4 + 0.01 * t * t)
  const scored = run(s, logCloses, (h) => 0.02 * Math.sqrt(h))
  const five = scored.filter((forecast) => forecast.horizon === 5)
  const twenty = scored.filter((forecast) => forecast.horizon === 20)
  assert.equal(five.length, 25, 'closes 5 … 29 score the forecasts made at 0 … 24')
  assert.equal(twenty.length, 10)
  five.forEach((forecast, t) => {
    assert.ok(Math.abs(forecast.actual - (logCloses[t + 5]! - logCloses[t]!)) < 1e-12)
  })
  assert.ok(Math.abs(twenty[0]!.actual - (logCloses[20]! - logCloses[0]!)) < 1e-12)
  assert.deepEqual([five[0]!.model, five[0]!.varianceModel], [2, 1])
  const [scores5, scores20] = horizonScores(s)
  assert.equal(scores5?.n, 25)
  assert.equal(scores20?.n, 10)
  // These trending closes are far outside a 2 % band: every forecast missed.
  assert.equal(scores5.coverage80, 0)
})

test('a gap forgets the forecasts in flight: nothing straddling it is scored', () => {
  const s = fresh()
  run(s, [1, 1, 1, 1], () => 0.01)
  clearHorizonForecasts(s)
  const scored = run(s, [1, 1, 1, 1, 1], () => 0.01)
  assert.equal(scored.length, 0, 'the fifth close after the gap is four closes after the first forecast')
  assert.equal(run(s, [1], () => 0.01).length, 1, 'the sixth scores the first 5-bar forecast')
})

test('no forecast (NaN) keeps the ring in step and is never scored', () => {
  const s = fresh()
  const scored: ScoredHorizonForecast[] = []
  for (let t = 0; t < 12; t++) {
    scoreHorizons(s, 0, params, scored)
    const predicted = t < 3 ? Number.NaN : 0
    recordHorizonForecasts(
      s,
      0,
      horizonForecastsOf(s, predicted, () => 0.01),
      0,
      0,
    )
  }
  // Forecasts made at t = 3 … 6 are scored at t = 8 … 11.
  assert.equal(scored.filter((forecast) => forecast.horizon === 5).length, 4)
  assert.deepEqual(
    horizonForecastsOf(s, Number.NaN, () => 0.01),
    [],
  )
  assert.deepEqual(
    horizonForecastsOf(s, 0, () => Number.NaN),
    [],
  )
})

test('with σ a third too small, each horizon’s band learns from its own outcomes to cover 80 and 95 %', () => {
  const random = seededRandom(7)
  const s = fresh()
  const sigma = 0.01
  let logClose = 0
  const logCloses: number[] = []
  for (let t = 0; t < 40_000; t++) {
    logClose += sigma * random.normal()
    logCloses.push(logClose)
  }
  // The band is told 2/3 of the true σ of the sum: Gaussian quantiles would cover ≈ 62 / 81 %.
  run(s, logCloses.slice(0, 20_000), (h) => (2 / 3) * sigma * Math.sqrt(h))
  const before = horizonScores(s)
  const scored = run(s, logCloses.slice(20_000), (h) => (2 / 3) * sigma * Math.sqrt(h))
  for (const h of [5, 20]) {
    const late = scored.filter((forecast) => forecast.horizon === h)
    const cover = (level: 'half80' | 'half95'): number =>
      late.filter((f) => Math.abs(f.actual - f.predicted) <= f[level]).length / late.length
    // Overlapping windows make the count's noise larger than binomial: ±2 points over 20,000.
    assert.ok(Math.abs(cover('half80') - 0.8) < 0.02, `h=${h}: 80 % covers ${cover('half80')}`)
    assert.ok(Math.abs(cover('half95') - 0.95) < 0.02, `h=${h}: 95 % covers ${cover('half95')}`)
  }
  assert.ok((before[0]?.n ?? 0) > 19_000)
})
