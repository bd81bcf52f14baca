import type { HorizonScores } from '../contracts/interval-scores.ts'
import {
  BAND_LENGTH,
  halfWidth80,
  halfWidth95,
  initialConformalBand,
  updateConformalBandFromMisses,
  type ConformalBandParams,
} from '../model/conformal-band.ts'

/**
 * The horizons, in bars, whose intervals a prediction carries besides the next bar's: the sum of
 * the next 5 and the next 20 log returns (a week and a month of daily bars).
 */
export const LONG_HORIZONS = [5, 20] as const

/**
 * One horizon's numbers in the horizon state: its conformal band (`conformal-band.ts`, the ACI
 * quantiles of this horizon, learnt from its own outcomes), its scores, its ring's fill and next
 * slot, then the last h forecasts, oldest at `next`, each `ENTRY` numbers.
 */
const H = {
  band: 0,
  scores: BAND_LENGTH,
  filled: BAND_LENGTH + 5,
  next: BAND_LENGTH + 6,
  ring: BAND_LENGTH + 7,
} as const
/**
 * A forecast in the ring: the log close it was made at, its log return, σ of the sum, half-widths,
 * and the indices of the point and variance models it was published from, as one number
 * (model × `PUBLISHED_BY` + variance model).
 */
const E = { logClose: 0, predicted: 1, sigma: 2, half80: 3, half95: 4, publishedBy: 5 } as const
const ENTRY = 6
const PUBLISHED_BY = 256

const offsets: readonly number[] = LONG_HORIZONS.map((_, k) =>
  LONG_HORIZONS.slice(0, k).reduce((sum, h) => sum + H.ring + ENTRY * h, 0),
)

/** Numbers of the horizon state: a few hundred bytes, whatever the series' length. */
export const HORIZON_STATE_LENGTH = LONG_HORIZONS.reduce((sum, h) => sum + H.ring + ENTRY * h, 0)

/** A horizon's forecast, published at one bar and scored `horizon` bars later. */
export interface HorizonForecast {
  readonly horizon: number
  /** Log return from the close it was made at to the close `horizon` bars later. */
  readonly predicted: number
  readonly sigma: number
  readonly half80: number
  readonly half95: number
}

/** A horizon's forecast scored against its outcome: `actual` is the realised sum of h log returns. */
export interface ScoredHorizonForecast extends HorizonForecast {
  readonly actual: number
  /** Indices in the state's `models` and `variances` of what published it. */
  readonly model: number
  readonly varianceModel: number
}

/** Fills a fresh horizon state in place: Gaussian bands, no scores, empty rings. */
export function initHorizonState(s: Float64Array): void {
  s.fill(0)
  const band = initialConformalBand()
  for (let k = 0; k < LONG_HORIZONS.length; k++) {
    const h = LONG_HORIZONS[k]!
    const at = offsets[k]!
    s.set(band, at + H.band)
    s.fill(Number.NaN, at + H.ring, at + H.ring + ENTRY * h)
  }
}

/** Forgets the forecasts in flight, in place (after a gap they would straddle); bands and scores stay. */
export function clearHorizonForecasts(s: Float64Array): void {
  for (let k = 0; k < LONG_HORIZONS.length; k++) {
    const h = LONG_HORIZONS[k]!
    const at = offsets[k]!
    s[at + H.filled] = 0
    s[at + H.next] = 0
    s.fill(Number.NaN, at + H.ring, at + H.ring + ENTRY * h)
  }
}

const winkler = (half: number, absError: number, alpha: number): number =>
  2 * half + (2 / alpha) * Math.max(0, absError - half)

/** Numbers of one horizon's score sums: n, hits at 80 and 95 %, Σ Winkler at 80 and 95 %. */
export const HORIZON_SCORE_LENGTH = 5

/** Adds one scored forecast to score sums that start at `at` in `sums`, in place. */
export function addHorizonScore(
  sums: Float64Array,
  at: number,
  absError: number,
  half80: number,
  half95: number,
): void {
  sums[at] = sums[at]! + 1
  sums[at + 1] = sums[at + 1]! + (absError > half80 ? 0 : 1)
  sums[at + 2] = sums[at + 2]! + (absError > half95 ? 0 : 1)
  sums[at + 3] = sums[at + 3]! + winkler(half80, absError, 0.2)
  sums[at + 4] = sums[at + 4]! + winkler(half95, absError, 0.05)
}

/** The rates of score sums starting at `at`; null before the first scored forecast. */
export function summariseHorizonScores(sums: Float64Array, at: number, horizon: number): HorizonScores {
  const n = sums[at]!
  const rate = (index: number): number | null => (n > 0 ? sums[at + index]! / n : null)
  return {
    horizon,
    n,
    coverage80: rate(1),
    coverage95: rate(2),
    winkler80: rate(3),
    winkler95: rate(4),
  }
}

/**
 * Scores, in place, each horizon's forecast made `horizon` bars before the bar that closed at
 * `logClose`, and lets its band learn whether that published interval missed (ACI with the
 * feedback delayed by the horizon, its steps divided by h: consecutive outcomes share h − 1 returns). With `scored`, pushes what was scored, for `--bars-out`.
 */
export function scoreHorizons(
  s: Float64Array,
  logClose: number,
  params: ConformalBandParams,
  scored: ScoredHorizonForecast[] | null,
): void {
  for (let k = 0; k < LONG_HORIZONS.length; k++) {
    const h = LONG_HORIZONS[k]!
    const at = offsets[k]!
    if (s[at + H.filled]! < h) continue
    const entry = at + H.ring + ENTRY * s[at + H.next]!
    const predicted = s[entry + E.predicted]!
    if (Number.isNaN(predicted)) continue
    const actual = logClose - s[entry + E.logClose]!
    const absError = Math.abs(actual - predicted)
    const half80 = s[entry + E.half80]!
    const half95 = s[entry + E.half95]!
    const miss80 = absError > half80
    const miss95 = absError > half95
    updateConformalBandFromMisses(s, miss80, miss95, params, at + H.band, 1 / h)
    addHorizonScore(s, at + H.scores, absError, half80, half95)
    scored?.push({
      horizon: h,
      predicted,
      sigma: s[entry + E.sigma]!,
      half80,
      half95,
      actual,
      model: Math.floor(s[entry + E.publishedBy]! / PUBLISHED_BY),
      varianceModel: s[entry + E.publishedBy]! % PUBLISHED_BY,
    })
  }
}

/**
 * Each horizon's forecast from the state as it stands: the log return `predicted` over the
 * horizon and σ of the sum, `sigmaOf(h)`, widened by the horizon's own band. Empty while there is
 * no forecast (`predicted` NaN) and without a horizon whose σ is not a positive number.
 */
export function horizonForecastsOf(
  s: Float64Array,
  predicted: number,
  sigmaOf: (horizon: number) => number,
): HorizonForecast[] {
  const forecasts: HorizonForecast[] = []
  if (Number.isNaN(predicted)) return forecasts
  for (let k = 0; k < LONG_HORIZONS.length; k++) {
    const h = LONG_HORIZONS[k]!
    const at = offsets[k]!
    const sigma = sigmaOf(h)
    if (!(Number.isFinite(sigma) && sigma > 0)) continue
    forecasts.push({
      horizon: h,
      predicted,
      sigma,
      half80: halfWidth80(s, sigma, at + H.band),
      half95: halfWidth95(s, sigma, at + H.band),
    })
  }
  return forecasts
}

/**
 * Puts the forecasts published at the bar that closed at `logClose` into each horizon's ring, in
 * place, to be scored `horizon` bars later, with the indices of the models that made them. A
 * horizon without a forecast keeps its ring in step with a NaN entry, which is never scored.
 */
export function recordHorizonForecasts(
  s: Float64Array,
  logClose: number,
  forecasts: readonly HorizonForecast[],
  model: number,
  varianceModel: number,
): void {
  for (let k = 0; k < LONG_HORIZONS.length; k++) {
    const h = LONG_HORIZONS[k]!
    const at = offsets[k]!
    const next = s[at + H.next]!
    const entry = at + H.ring + ENTRY * next
    let forecast: HorizonForecast | undefined
    for (const candidate of forecasts) if (candidate.horizon === h) forecast = candidate
    s[entry + E.logClose] = logClose
    s[entry + E.predicted] = forecast?.predicted ?? Number.NaN
    s[entry + E.sigma] = forecast?.sigma ?? Number.NaN
    s[entry + E.half80] = forecast?.half80 ?? Number.NaN
    s[entry + E.half95] = forecast?.half95 ?? Number.NaN
    s[entry + E.publishedBy] = model * PUBLISHED_BY + varianceModel
    s[at + H.next] = (next + 1) % h
    s[at + H.filled] = Math.min(h, s[at + H.filled]! + 1)
  }
}

/** Each horizon's scores so far; null rates before its first scored forecast. */
export function horizonScores(s: Float64Array): HorizonScores[] {
  return LONG_HORIZONS.map((h, k) => summariseHorizonScores(s, offsets[k]! + H.scores, h))
}

/** The scores of a snapshot's `horizons` (null for none); null when they are of another layout. */
export function horizonScoresOfSnapshot(
  saved: readonly (number | null)[] | undefined,
): HorizonScores[] | null {
  if (saved?.length !== HORIZON_STATE_LENGTH) return null
  return horizonScores(Float64Array.from(saved, (value) => value ?? Number.NaN))
}
