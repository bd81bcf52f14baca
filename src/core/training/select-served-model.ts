import { dieboldMariano } from '../metrics/diebold-mariano.ts'
import { SCORE, type ScoreSums } from '../metrics/score-sums.ts'

export interface ServedCandidate {
  readonly id: string
  /** Scores since the model started. */
  readonly scores: ScoreSums
  /** Exponentially weighted mean of |error| − |naive error| over recent scored bars. */
  readonly recentLossDiff: number
  /** The model's forecast for the next bar; NaN when it has none. */
  readonly pending: number
}

export interface ServingRule {
  readonly baselineId: string
  /** Scored bars a model needs before it may be served. */
  readonly minScoredBars: number
  /** Served only when its Diebold–Mariano statistic against naive since it started is at most this. */
  readonly maxDm: number
}

/**
 * The serving rule, as the index of the served candidate: naive, unless a model with a forecast
 * and at least `minScoredBars` scored bars beats naive on absolute error in the long run,
 * significantly (DM ≤ `maxDm`, −1.645 being one-sided 5 %), and recently (its recent mean absolute
 * error is below naive's on the same bars); then, of those, the one with the lowest recent loss
 * (ties: the earlier one).
 */
export function selectServedModel(candidates: readonly ServedCandidate[], rule: ServingRule): number {
  let baseline = -1
  let served = -1
  let best = 0
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]
    if (candidate === undefined) continue
    if (candidate.id === rule.baselineId) {
      baseline = i
      continue
    }
    if (Number.isNaN(candidate.pending)) continue
    const { scores } = candidate
    const n = scores[SCORE.n] ?? 0
    if (n < rule.minScoredBars || candidate.recentLossDiff >= best) continue
    const dm = dieboldMariano(n, scores[SCORE.sumLossDiff] ?? 0, scores[SCORE.sumLossDiffSq] ?? 0)
    if (dm !== null && dm <= rule.maxDm) {
      best = candidate.recentLossDiff
      served = i
    }
  }
  return served === -1 ? baseline : served
}
