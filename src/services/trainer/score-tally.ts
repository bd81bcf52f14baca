import { SCORE } from '../../core/metrics/score-sums.ts'
import type { TrainerState } from '../../core/training/trainer-state.ts'
import type { TrainerMetrics } from './trainer-metrics.ts'

export interface ScoreTally {
  /** Call before a step changes `state`: its score sums as they are. */
  before(state: TrainerState): void
  /** Call after the step: what it added to the sums joins the tally. */
  after(state: TrainerState): void
  /** Adds the tally to the counters, one update per label, and starts again from zero. */
  flush(metrics: TrainerMetrics): void
}

const LEVELS = ['0.8', '0.95'] as const

/**
 * What a batch's steps added to the prequential scores, over all its symbols: per model Σ|error|
 * and Σ|naive error|, and for the published forecasts the outcomes and interval hits. The
 * counters are then updated once per batch, not per row, and carry no symbol label (per-symbol
 * scores are the prediction service's `GET /api/v1/scores/{symbol}`). `modelIds` are in the order
 * of every state's models.
 */
export function createScoreTally(modelIds: readonly string[]): ScoreTally {
  const width = modelIds.length
  // Per model Σ|error| then Σ|naive error|; then the served outcomes, hits at 80 % and at 95 %.
  const sums = new Float64Array(2 * width + 3)
  const start = new Float64Array(sums.length)
  const read = (state: TrainerState, into: Float64Array, sign: number): void => {
    const { models, servedScores } = state
    for (let i = 0; i < width; i++) {
      const scores = models[i]?.scores
      into[i] = (into[i] ?? 0) + sign * (scores?.[SCORE.sumAbsError] ?? 0)
      into[width + i] = (into[width + i] ?? 0) + sign * (scores?.[SCORE.sumNaiveAbsError] ?? 0)
    }
    into[2 * width] = (into[2 * width] ?? 0) + sign * (servedScores[SCORE.n] ?? 0)
    into[2 * width + 1] = (into[2 * width + 1] ?? 0) + sign * (servedScores[SCORE.hits80] ?? 0)
    into[2 * width + 2] = (into[2 * width + 2] ?? 0) + sign * (servedScores[SCORE.hits95] ?? 0)
  }
  return {
    before(state) {
      start.fill(0)
      read(state, start, 1)
    },
    after(state) {
      // after − before per sum, so that a lifetime sum's size costs no precision in the tally.
      read(state, start, -1)
      for (let i = 0; i < sums.length; i++) sums[i] = (sums[i] ?? 0) - (start[i] ?? 0)
    },
    flush(metrics) {
      for (const [i, model] of modelIds.entries()) {
        const absError = sums[i] ?? 0
        const naiveAbsError = sums[width + i] ?? 0
        if (absError > 0) metrics.absError.inc({ model }, absError)
        if (naiveAbsError > 0) metrics.naiveAbsError.inc({ model }, naiveAbsError)
      }
      const outcomes = sums[2 * width] ?? 0
      for (const [k, level] of LEVELS.entries()) {
        const hits = sums[2 * width + 1 + k] ?? 0
        if (outcomes > 0) metrics.intervalOutcomes.inc({ level }, outcomes)
        if (hits > 0) metrics.intervalHits.inc({ level }, hits)
      }
      sums.fill(0)
    },
  }
}
