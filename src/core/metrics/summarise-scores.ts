import type { ModelScores } from '../contracts/model-snapshot.ts'
import { dieboldMariano } from './diebold-mariano.ts'
import type { ScoreSums } from './score-sums.ts'
import { wilsonInterval } from './wilson-interval.ts'

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null

/**
 * The contract's scores from running sums. Errors are of log returns; MASE is MAE over the naive
 * forecast's MAE on the same bars; DM is on absolute error against naive; direction is the hit
 * rate of direction calls with its Wilson 95 % interval; coverages are fractions and widths are
 * mean interval widths in log-return units (ln(upper/lower)).
 */
export function summariseScores(sums: ScoreSums): ModelScores {
  const { n } = sums
  return {
    n,
    mae: ratio(sums.sumAbsError, n),
    rmse: n > 0 ? Math.sqrt(sums.sumSqError / n) : null,
    mase: ratio(sums.sumAbsError, sums.sumNaiveAbsError),
    direction: ratio(sums.directionHits, sums.directionN),
    directionCi: wilsonInterval(sums.directionHits, sums.directionN),
    coverage80: ratio(sums.hits80, n),
    coverage95: ratio(sums.hits95, n),
    width80: ratio(sums.sumWidth80, n),
    width95: ratio(sums.sumWidth95, n),
    dm: dieboldMariano(n, sums.sumLossDiff, sums.sumLossDiffSq),
  }
}
