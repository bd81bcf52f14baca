import type { IntervalScores } from '../contracts/interval-scores.ts'
import {
  INTERVAL,
  SIGMA_CELLS,
  sigmaQuintileOf,
  YEAR_SLOT,
  YEAR_SLOT_LENGTH,
  yearSlotsOf,
  type IntervalSums,
} from './interval-sums.ts'

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null

const coverageOf = (n: number, hits80: number, hits95: number) => ({
  n,
  coverage80: ratio(hits80, n),
  coverage95: ratio(hits95, n),
})

/**
 * The interval scores of running interval sums (an `IntervalSums` or a snapshot's `intervals`,
 * null standing for NaN): means of the Winkler scores and QLIKE, the σ quintiles, and coverage per
 * σ-fifth and per kept year, oldest first.
 */
export function summariseIntervalSums(sums: IntervalSums | ArrayLike<number | null>): IntervalScores {
  const at = (index: number): number => sums[index] ?? Number.NaN
  const n = Number.isNaN(at(INTERVAL.n)) ? 0 : at(INTERVAL.n)
  const numbers = Float64Array.from({ length: sums.length }, (_, i) => at(i))
  const sigmaQuintiles: number[] = []
  if (n > 0) for (let k = 1; k < SIGMA_CELLS; k++) sigmaQuintiles.push(sigmaQuintileOf(numbers, n, k))
  const years = []
  for (let slot = 0; slot < yearSlotsOf(sums); slot++) {
    const s = INTERVAL.years + slot * YEAR_SLOT_LENGTH
    if (Number.isNaN(at(s + YEAR_SLOT.year))) continue
    const coverage = coverageOf(at(s + YEAR_SLOT.n), at(s + YEAR_SLOT.hits80), at(s + YEAR_SLOT.hits95))
    years.push({ year: at(s + YEAR_SLOT.year), ...coverage })
  }
  return {
    n,
    winkler80: ratio(at(INTERVAL.sumWinkler80), n),
    winkler95: ratio(at(INTERVAL.sumWinkler95), n),
    qlike: ratio(at(INTERVAL.sumQlike), n),
    sigmaQuintiles,
    fifths: Array.from({ length: SIGMA_CELLS }, (_, k) => {
      const f = INTERVAL.fifths + 3 * k
      return coverageOf(at(f), at(f + 1), at(f + 2))
    }),
    years,
  }
}
