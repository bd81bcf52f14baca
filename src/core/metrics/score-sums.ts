import { z } from 'zod'

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

export const scoreSumsSchema = z
  .object({
    n: z.number().int().nonnegative(),
    sumAbsError: z.number().nonnegative(),
    sumSqError: z.number().nonnegative(),
    sumNaiveAbsError: z.number().nonnegative(),
    /** Σd and Σd², d = |error| − |naive error|: the Diebold–Mariano loss differential. */
    sumLossDiff: z.number(),
    sumLossDiffSq: z.number().nonnegative(),
    directionN: z.number().int().nonnegative(),
    directionHits: z.number().int().nonnegative(),
    hits80: z.number().int().nonnegative(),
    hits95: z.number().int().nonnegative(),
    sumWidth80: z.number().nonnegative(),
    sumWidth95: z.number().nonnegative(),
  })
  .strict()

/** Running sums of a prequential score: O(1) state, however long the series. */
export type ScoreSums = z.infer<typeof scoreSumsSchema>

export const emptyScoreSums: ScoreSums = {
  n: 0,
  sumAbsError: 0,
  sumSqError: 0,
  sumNaiveAbsError: 0,
  sumLossDiff: 0,
  sumLossDiffSq: 0,
  directionN: 0,
  directionHits: 0,
  hits80: 0,
  hits95: 0,
  sumWidth80: 0,
  sumWidth95: 0,
}

/**
 * Adds one forecast to the sums. A direction call counts only when both the predicted and the
 * realised return are non-zero: a zero forecast (naive's, always) calls no direction, and an
 * unchanged close is neither up nor down.
 */
export function addScore(sums: ScoreSums, obs: ScoreObservation): ScoreSums {
  const absError = Math.abs(obs.actual - obs.predicted)
  const naiveAbsError = Math.abs(obs.actual)
  const lossDiff = absError - naiveAbsError
  const isCall = obs.predicted !== 0 && obs.actual !== 0
  return {
    n: sums.n + 1,
    sumAbsError: sums.sumAbsError + absError,
    sumSqError: sums.sumSqError + absError * absError,
    sumNaiveAbsError: sums.sumNaiveAbsError + naiveAbsError,
    sumLossDiff: sums.sumLossDiff + lossDiff + 0,
    sumLossDiffSq: sums.sumLossDiffSq + lossDiff * lossDiff,
    directionN: sums.directionN + (isCall ? 1 : 0),
    directionHits: sums.directionHits + (isCall && obs.predicted > 0 === obs.actual > 0 ? 1 : 0),
    hits80: sums.hits80 + (absError <= obs.half80 ? 1 : 0),
    hits95: sums.hits95 + (absError <= obs.half95 ? 1 : 0),
    sumWidth80: sums.sumWidth80 + 2 * obs.half80,
    sumWidth95: sums.sumWidth95 + 2 * obs.half95,
  }
}
