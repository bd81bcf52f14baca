import { withoutNegativeZero } from '../model/without-negative-zero.ts'
import { addP2Observation, p2Quantile } from './p2-quantiles.ts'

/**
 * Running sums that judge the published band, indexed by `INTERVAL`, then one slot of
 * `YEAR_SLOT` numbers per calendar year kept (oldest first): bounded state, changed in place.
 */
export type IntervalSums = Float64Array

/** The fifths of σ that coverage is split into. */
export const SIGMA_CELLS = 5

/** Index of each number of the fixed part. */
export const INTERVAL = {
  n: 0,
  sumWinkler80: 1,
  sumWinkler95: 2,
  sumQlike: 3,
  /** P² markers of σ (`p2-quantiles.ts`): 6 heights, then their 6 positions. */
  sigmaMarkers: 4,
  /** Per fifth of σ, calmest first: bars, 80 % hits, 95 % hits. */
  fifths: 16,
  /** The first year slot. */
  years: 31,
} as const

/** A year slot: the year (NaN while unused), bars, 80 % hits, 95 % hits. */
export const YEAR_SLOT = { year: 0, n: 1, hits80: 2, hits95: 3 } as const
export const YEAR_SLOT_LENGTH = 4

/** Year slots the trainer keeps per symbol: the snapshot holds the most recent years only. */
export const RECENT_YEARS = 5
/** Year slots for a whole series: every year a bar can start in (1970–2199, as files are read). */
export const ALL_YEARS = 230

/**
 * QLIKE's r²/σ² is floored at 1e-6 (|r| at a thousandth of σ): an unchanged close (r = 0) would
 * otherwise score +∞ through −ln 0. It then scores ≈ 12.8, and the floor moves the mean of a
 * continuous return distribution by less than 1e-6 per bar.
 */
const MIN_QLIKE_RATIO = 1e-6

export const emptyIntervalSums = (years: number = RECENT_YEARS): IntervalSums => {
  const sums = new Float64Array(INTERVAL.years + years * YEAR_SLOT_LENGTH)
  sums.fill(Number.NaN, INTERVAL.sigmaMarkers, INTERVAL.sigmaMarkers + SIGMA_CELLS + 1)
  for (let at = INTERVAL.years; at < sums.length; at += YEAR_SLOT_LENGTH) sums[at] = Number.NaN
  return sums
}

/** Year slots of `sums`. */
export const yearSlotsOf = (sums: ArrayLike<unknown>): number =>
  Math.max(0, Math.floor((sums.length - INTERVAL.years) / YEAR_SLOT_LENGTH))

/** Winkler's interval score of [lower, upper] at miss rate `alpha` for outcome `y`. */
export const winklerScore = (lower: number, upper: number, y: number, alpha: number): number =>
  upper - lower + (2 / alpha) * (Math.max(0, lower - y) + Math.max(0, y - upper))

/** QLIKE of variance `variance` for return `r`, r²/σ² − ln(r²/σ²) − 1 with the floor above. */
export function qlikeLoss(variance: number, r: number): number {
  const ratio = Math.max(MIN_QLIKE_RATIO, (r * r) / variance)
  return withoutNegativeZero(ratio - Math.log(ratio) - 1)
}

/** The running `k / 5` quantile of the σs added so far (k = 1…4); NaN before the first. */
export const sigmaQuintileOf = (sums: IntervalSums, count: number, k: number): number =>
  p2Quantile(sums, INTERVAL.sigmaMarkers, SIGMA_CELLS, count, k)

/** Leap years from year 1 to `year` − 1 (proleptic Gregorian). */
const leapYearsBefore = (year: number): number =>
  Math.floor((year - 1) / 4) - Math.floor((year - 1) / 100) + Math.floor((year - 1) / 400)

/** Epoch ms of 1 January of `year`, 00:00 UTC: arithmetic, since `Date.UTC` costs some 70 ns a call. */
export const yearStartMs = (year: number): number =>
  (365 * (year - 1970) + leapYearsBefore(year) - leapYearsBefore(1970)) * 86_400_000

/** The UTC calendar year of `ms`, without a Date inside the newest slot's year (the usual case). */
function utcYearOf(ms: number, newest: number): number {
  if (ms >= yearStartMs(newest) && ms < yearStartMs(newest + 1)) return newest
  return new Date(ms).getUTCFullYear()
}

/** The slot of `year`, opening one (and dropping the oldest when all are used); -1 for a year older than every slot. */
function yearSlotOf(sums: IntervalSums, barStartMs: number): number {
  const slots = yearSlotsOf(sums)
  if (slots === 0) return -1
  const last = INTERVAL.years + (slots - 1) * YEAR_SLOT_LENGTH
  const newest = sums[last] ?? Number.NaN
  const year = utcYearOf(barStartMs, newest)
  if (newest === year) return last
  if (Number.isNaN(newest) || year > newest) {
    sums.copyWithin(INTERVAL.years, INTERVAL.years + YEAR_SLOT_LENGTH)
    sums.set([year, 0, 0, 0], last)
    return last
  }
  for (let at = last - YEAR_SLOT_LENGTH; at >= INTERVAL.years; at -= YEAR_SLOT_LENGTH)
    if (sums[at] === year) return at
  return -1
}

/**
 * Adds one published forecast to the sums, in place: the band [predicted ± half80] and
 * [predicted ± half95] drawn with `sigma`, against the realised log return `actual` of the bar
 * starting at `barStartMs`. The bar's fifth is read from the σ markers after σ joins them.
 */
export function addIntervalScore(
  sums: IntervalSums,
  barStartMs: number,
  predicted: number,
  actual: number,
  sigma: number,
  half80: number,
  half95: number,
): void {
  const n = sums[INTERVAL.n]! + 1
  const miss = Math.abs(actual - predicted)
  const hit80 = miss <= half80 ? 1 : 0
  const hit95 = miss <= half95 ? 1 : 0
  sums[INTERVAL.n] = n
  sums[INTERVAL.sumWinkler80] =
    sums[INTERVAL.sumWinkler80]! + winklerScore(predicted - half80, predicted + half80, actual, 0.2)
  sums[INTERVAL.sumWinkler95] =
    sums[INTERVAL.sumWinkler95]! + winklerScore(predicted - half95, predicted + half95, actual, 0.05)
  sums[INTERVAL.sumQlike] = sums[INTERVAL.sumQlike]! + qlikeLoss(sigma * sigma, actual)
  addP2Observation(sums, INTERVAL.sigmaMarkers, SIGMA_CELLS, n, sigma)
  let fifth = 0
  for (let k = 1; k < SIGMA_CELLS; k++) if (sigma > sigmaQuintileOf(sums, n, k)) fifth = k
  const f = INTERVAL.fifths + 3 * fifth
  sums[f] = sums[f]! + 1
  sums[f + 1] = sums[f + 1]! + hit80
  sums[f + 2] = sums[f + 2]! + hit95
  const slot = yearSlotOf(sums, barStartMs)
  if (slot === -1) return
  sums[slot + YEAR_SLOT.n] = sums[slot + YEAR_SLOT.n]! + 1
  sums[slot + YEAR_SLOT.hits80] = sums[slot + YEAR_SLOT.hits80]! + hit80
  sums[slot + YEAR_SLOT.hits95] = sums[slot + YEAR_SLOT.hits95]! + hit95
}
