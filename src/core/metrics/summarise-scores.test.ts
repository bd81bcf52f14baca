import assert from 'node:assert/strict'
import { test } from 'node:test'
import { modelScoresSchema } from '../contracts/model-snapshot.ts'
import { addScore, emptyScoreSums, type ScoreObservation } from './score-sums.ts'
import { summariseScores } from './summarise-scores.ts'

const observations: ScoreObservation[] = [
  { predicted: 0.01, actual: 0.02, half80: 0.015, half95: 0.03 }, // up call right; inside both
  { predicted: -0.01, actual: 0.03, half80: 0.02, half95: 0.05 }, // call wrong; outside 80 only
  { predicted: 0.02, actual: -0.01, half80: 0.01, half95: 0.02 }, // call wrong; outside both
  { predicted: 0, actual: 0.01, half80: 0.02, half95: 0.04 }, // no call: zero forecast
  { predicted: 0.01, actual: 0, half80: 0.01, half95: 0.02 }, // no call: unchanged close; on the 80 % edge
]

const sumsOf = (list: readonly ScoreObservation[]) => {
  const sums = emptyScoreSums()
  for (const o of list) addScore(sums, o.predicted, o.actual, o.half80, o.half95)
  return sums
}

const close = (actual: number | null, expected: number, label: string): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-10, `${label}: ${actual} vs ${expected}`)
}

test('every metric equals its hand-computed value', () => {
  const scores = summariseScores(sumsOf(observations))
  assert.equal(scores.n, 5)
  close(scores.mae, 0.1 / 5, 'mae') // |e| = .01 .04 .03 .01 .01
  close(scores.rmse, Math.sqrt(0.0028 / 5), 'rmse')
  close(scores.mase, 0.1 / 0.07, 'mase') // naive |e| = .02 .03 .01 .01 0
  close(scores.direction, 1 / 3, 'direction')
  close(scores.directionCi?.[0] ?? null, 0.06149194472, 'direction lower')
  close(scores.directionCi?.[1] ?? null, 0.7923403992, 'direction upper')
  close(scores.coverage80, 3 / 5, 'coverage80')
  close(scores.coverage95, 4 / 5, 'coverage95')
  close(scores.width80, 0.15 / 5, 'width80')
  close(scores.width95, 0.32 / 5, 'width95')
  close(scores.dm, 1.3155870289605438, 'dm')
  assert.ok(modelScoresSchema.safeParse(scores).success)
})

test('naive against itself: MASE 1, no direction calls, no DM', () => {
  const naive = observations.map((o) => ({ ...o, predicted: 0 }))
  const scores = summariseScores(sumsOf(naive))
  assert.equal(scores.mase, 1)
  assert.equal(scores.direction, null)
  assert.equal(scores.directionCi, null)
  assert.equal(scores.dm, null)
})

test('no observations: every ratio is null and the scores still fit the contract', () => {
  const scores = summariseScores(emptyScoreSums())
  assert.deepEqual(scores, {
    n: 0,
    mae: null,
    rmse: null,
    mase: null,
    direction: null,
    directionCi: null,
    coverage80: null,
    coverage95: null,
    width80: null,
    width95: null,
    dm: null,
  })
  assert.ok(modelScoresSchema.safeParse(scores).success)
})
