import { dieboldMariano } from '../metrics/diebold-mariano.ts'
import type { ScoreSums } from '../metrics/score-sums.ts'

export interface ServedCandidate {
  readonly id: string
  /** Scores since the model started. */
  readonly scores: ScoreSums
  /** Exponentially weighted mean of |error| − |naive error| over recent scored bars. */
  readonly recentLossDiff: number
  /** Whether the model has a forecast for the next bar. */
  readonly hasForecast: boolean
}

export interface ServingRule {
  readonly baselineId: string
  /** Scored bars a model needs before it may be served. */
  readonly minScoredBars: number
  /** Served only when its Diebold–Mariano statistic against naive since it started is at most this. */
  readonly maxDm: number
}

/**
 * The serving rule: naive, unless a model with a forecast and at least `minScoredBars` scored bars
 * beats naive on absolute error in the long run, significantly (DM ≤ `maxDm`, −1.645 being
 * one-sided 5 %), and recently (its recent mean absolute error is below naive's on the same
 * bars); then, of those, the one with the lowest recent loss (ties: the earlier one).
 */
export function selectServedModel(candidates: readonly ServedCandidate[], rule: ServingRule): string {
  let served = rule.baselineId
  let best = 0
  for (const candidate of candidates) {
    if (candidate.id === rule.baselineId || !candidate.hasForecast) continue
    const { scores } = candidate
    if (scores.n < rule.minScoredBars || candidate.recentLossDiff >= best) continue
    const dm = dieboldMariano(scores.n, scores.sumLossDiff, scores.sumLossDiffSq)
    if (dm !== null && dm <= rule.maxDm) {
      best = candidate.recentLossDiff
      served = candidate.id
    }
  }
  return served
}
