import assert from 'node:assert/strict'
import { test } from 'node:test'
import { emptyScoreSums, SCORE, type ScoreSums } from '../metrics/score-sums.ts'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { evaluateSeries } from './evaluate-series.ts'
import { selectServedModel } from './select-served-model.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'

const rule = { baselineId: 'naive', minScoredBars: 250, maxDm: -2.326 }
/** Sums of n bars whose loss differential alternates mean ± spread. */
const sums = (n: number, mean: number, spread: number): ScoreSums => {
  const result = emptyScoreSums()
  result[SCORE.n] = n
  result[SCORE.sumLossDiff] = n * mean
  result[SCORE.sumLossDiffSq] = n * (mean * mean + spread * spread)
  return result
}
const naive = { id: 'naive', scores: emptyScoreSums(), recentLossDiff: 0, pending: 0 }
const candidate = (id: string, scores: ScoreSums, recentLossDiff: number, hasForecast = true) => ({
  id,
  scores,
  recentLossDiff,
  pending: hasForecast ? 0.001 : Number.NaN,
})

test('serves naive unless a model is significantly better in the long run and better recently', () => {
  const strong = sums(400, -0.001, 0.005) // DM = −0.001 / (0.005/√400) = −4
  const weak = sums(400, -0.0001, 0.005) // DM = −0.4
  const cases = [
    { candidates: [naive, candidate('a', strong, -1e-4)], served: 'a' },
    { candidates: [naive, candidate('a', weak, -1e-4)], served: 'naive' },
    { candidates: [naive, candidate('a', strong, 1e-4)], served: 'naive' },
    { candidates: [naive, candidate('a', strong, -1e-4, false)], served: 'naive' },
    { candidates: [naive, candidate('a', sums(200, -0.001, 0.005), -1e-4)], served: 'naive' },
    { candidates: [naive, candidate('a', strong, -1e-4), candidate('b', strong, -2e-4)], served: 'b' },
    { candidates: [candidate('a', strong, -1e-4), naive], served: 'a' },
  ]
  for (const { candidates, served } of cases) {
    assert.equal(candidates[selectServedModel(candidates, rule)]?.id, served)
  }
})

/** Log returns with lag-1 autocorrelation φ. */
function ar1Closes(phi: number, bars: number, seed: number): number[] {
  const random = seededRandom(seed)
  const closes = [100]
  let previous = 0
  for (let t = 0; t < bars; t++) {
    previous = phi * previous + 0.01 * random.normal()
    closes.push(closes.at(-1)! * Math.exp(previous))
  }
  return closes
}

test('on returns that really are predictable, a model takes over and beats naive significantly', () => {
  const result = evaluateSeries(resolveTrainerOptions(), syntheticFeatureRows(ar1Closes(0.2, 2000, 5)))
  assert.notEqual(result.served, 'naive')
  assert.ok(result.servedStream.mase! < 0.995, `served MASE ${result.servedStream.mase}`)
  assert.ok(result.servedStream.dm! < -2, `served DM ${result.servedStream.dm}`)
})

test('on a random walk, naive is served nearly throughout', () => {
  for (const seed of [6, 7, 8]) {
    const result = evaluateSeries(resolveTrainerOptions(), syntheticFeatureRows(ar1Closes(0, 2000, seed)))
    const share = result.models.find((m) => m.model === 'naive')?.servedShare ?? 0
    assert.ok(share > 0.98, `seed ${seed}: naive served on ${share} of bars`)
    assert.ok(
      Math.abs(result.servedStream.mase! - 1) < 0.001,
      `seed ${seed}: served MASE ${result.servedStream.mase}`,
    )
  }
})
