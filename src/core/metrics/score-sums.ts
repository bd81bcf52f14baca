import { SCORE_SUM_FIELDS } from '../contracts/model-snapshot.ts'
import { withoutNegativeZero } from '../model/without-negative-zero.ts'

/**
 * One scored forecast, in log-return units: what was predicted, what happened, and the
 * half-widths of the 80 % and 95 % intervals around the prediction. The naive forecast it is
 * compared with always predicts 0.
 */
export interface ScoreObservation {
  readonly predicted: number
  readonly actual: number
  readonly half80: number
  readonly half95: number
}

/** Running sums of a prequential score, indexed by `SCORE`: O(1) state, changed in place. */
export type ScoreSums = Float64Array

/** Index of each running sum, in the contract's `SCORE_SUM_FIELDS` order. */
export const SCORE = {
  n: 0,
  sumAbsError: 1,
  sumSqError: 2,
  sumNaiveAbsError: 3,
  sumLossDiff: 4,
  sumLossDiffSq: 5,
  directionN: 6,
  directionHits: 7,
  hits80: 8,
  hits95: 9,
  sumWidth80: 10,
  sumWidth95: 11,
} as const satisfies Record<(typeof SCORE_SUM_FIELDS)[number], number>

export const emptyScoreSums = (): ScoreSums => new Float64Array(SCORE_SUM_FIELDS.length)

/**
 * Adds one forecast to the sums, in place. A direction call counts only when both the predicted
 * and the realised return are non-zero: a zero forecast (naive's, always) calls no direction, and
 * an unchanged close is neither up nor down.
 */
export function addScore(
  sums: ScoreSums,
  predicted: number,
  actual: number,
  half80: number,
  half95: number,
): void {
  const absError = Math.abs(actual - predicted)
  const naiveAbsError = Math.abs(actual)
  const lossDiff = absError - naiveAbsError
  const isCall = predicted !== 0 && actual !== 0
  const at = (index: number): number => sums[index] ?? 0
  sums[SCORE.n] = at(SCORE.n) + 1
  sums[SCORE.sumAbsError] = at(SCORE.sumAbsError) + absError
  sums[SCORE.sumSqError] = at(SCORE.sumSqError) + absError * absError
  sums[SCORE.sumNaiveAbsError] = at(SCORE.sumNaiveAbsError) + naiveAbsError
  sums[SCORE.sumLossDiff] = withoutNegativeZero(at(SCORE.sumLossDiff) + lossDiff)
  sums[SCORE.sumLossDiffSq] = at(SCORE.sumLossDiffSq) + lossDiff * lossDiff
  sums[SCORE.directionN] = at(SCORE.directionN) + (isCall ? 1 : 0)
  sums[SCORE.directionHits] = at(SCORE.directionHits) + (isCall && predicted > 0 === actual > 0 ? 1 : 0)
  sums[SCORE.hits80] = at(SCORE.hits80) + (absError <= half80 ? 1 : 0)
  sums[SCORE.hits95] = at(SCORE.hits95) + (absError <= half95 ? 1 : 0)
  sums[SCORE.sumWidth80] = at(SCORE.sumWidth80) + 2 * half80
  sums[SCORE.sumWidth95] = at(SCORE.sumWidth95) + 2 * half95
}
