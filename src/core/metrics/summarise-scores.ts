import type { ModelScores } from '../contracts/model-snapshot.ts'
import { dieboldMariano } from './diebold-mariano.ts'
import { SCORE } from './score-sums.ts'
import { wilsonInterval } from './wilson-interval.ts'

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null

/**
 * The contract's scores from running sums (a `ScoreSums` or a snapshot's `scoreSums`). Errors are
 * of log returns; MASE is MAE over the naive forecast's MAE on the same bars; DM is on absolute
 * error against naive; direction is the hit rate of direction calls with its Wilson 95 % interval;
 * coverages are fractions and widths are mean interval widths in log-return units (ln(upper/lower)).
 */
export function summariseScores(sums: ArrayLike<number>): ModelScores {
  const at = (index: number): number => sums[index] ?? 0
  const n = at(SCORE.n)
  return {
    n,
    mae: ratio(at(SCORE.sumAbsError), n),
    rmse: n > 0 ? Math.sqrt(at(SCORE.sumSqError) / n) : null,
    mase: ratio(at(SCORE.sumAbsError), at(SCORE.sumNaiveAbsError)),
    direction: ratio(at(SCORE.directionHits), at(SCORE.directionN)),
    directionCi: wilsonInterval(at(SCORE.directionHits), at(SCORE.directionN)),
    coverage80: ratio(at(SCORE.hits80), n),
    coverage95: ratio(at(SCORE.hits95), n),
    width80: ratio(at(SCORE.sumWidth80), n),
    width95: ratio(at(SCORE.sumWidth95), n),
    dm: dieboldMariano(n, at(SCORE.sumLossDiff), at(SCORE.sumLossDiffSq)),
  }
}
