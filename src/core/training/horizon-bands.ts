import {
  BAND,
  BAND_LENGTH,
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
  n: BAND_LENGTH,
  hits80: BAND_LENGTH + 1,
  hits95: BAND_LENGTH + 2,
  sumWinkler80: BAND_LENGTH + 3,
  sumWinkler95: BAND_LENGTH + 4,
  filled: BAND_LENGTH + 5,
  next: BAND_LENGTH + 6,
  ring: BAND_LENGTH + 7,
} as const
/**
 * A forecast in the ring: the log close it was made at, its log return, σ of the sum, half-widths,
 * and the indices of the point and variance models it was published from.
 */
const E = { logClose: 0, predicted: 1, sigma: 2, half80: 3, half95: 4, model: 5, varianceModel: 6 } as const
const ENTRY = 7

/** Past this a half-width says nothing and prices would underflow (as for the one-bar band). */
const MAX_HALF_WIDTH = 10

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

/** Running scores of one horizon's published intervals. */
export interface HorizonScores {
  readonly horizon: number
  readonly n: number
  readonly coverage80: number | null
  readonly coverage95: number | null
  readonly winkler80: number | null
  readonly winkler95: number | null
}

/** Fills a fresh horizon state in place: Gaussian bands, no scores, empty rings. */
export function initHorizonState(s: Float64Array): void {
  s.fill(0)
  const band = initialConformalBand()
  for (const [k, h] of LONG_HORIZONS.entries()) {
    const at = offsets[k]!
    s.set(band, at + H.band)
    s.fill(Number.NaN, at + H.ring, at + H.ring + ENTRY * h)
  }
}

/** Forgets the forecasts in flight, in place (after a gap they would straddle); bands and scores stay. */
export function clearHorizonForecasts(s: Float64Array): void {
  for (const [k, h] of LONG_HORIZONS.entries()) {
    const at = offsets[k]!
    s[at + H.filled] = 0
    s[at + H.next] = 0
    s.fill(Number.NaN, at + H.ring, at + H.ring + ENTRY * h)
  }
}

const winkler = (half: number, absError: number, alpha: number): number =>
  2 * half + (2 / alpha) * Math.max(0, absError - half)

/**
 * Scores, in place, each horizon's forecast made `horizon` bars before the bar that closed at
 * `logClose`, and lets its band learn whether that published interval missed (ACI with the
 * feedback delayed by the horizon). With `scored`, pushes what was scored, for `--bars-out`.
 */
export function scoreHorizons(
  s: Float64Array,
  logClose: number,
  params: ConformalBandParams,
  scored: ScoredHorizonForecast[] | null,
): void {
  for (const [k, h] of LONG_HORIZONS.entries()) {
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
    updateConformalBandFromMisses(s, miss80, miss95, params, at + H.band)
    s[at + H.n] = s[at + H.n]! + 1
    s[at + H.hits80] = s[at + H.hits80]! + (miss80 ? 0 : 1)
    s[at + H.hits95] = s[at + H.hits95]! + (miss95 ? 0 : 1)
    s[at + H.sumWinkler80] = s[at + H.sumWinkler80]! + winkler(half80, absError, 0.2)
    s[at + H.sumWinkler95] = s[at + H.sumWinkler95]! + winkler(half95, absError, 0.05)
    scored?.push({
      horizon: h,
      predicted,
      sigma: s[entry + E.sigma]!,
      half80,
      half95,
      actual,
      model: s[entry + E.model]!,
      varianceModel: s[entry + E.varianceModel]!,
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
  for (const [k, h] of LONG_HORIZONS.entries()) {
    const at = offsets[k]!
    const sigma = sigmaOf(h)
    if (!(Number.isFinite(sigma) && sigma > 0)) continue
    const q80 = s[at + H.band + BAND.q80]!
    const q95 = Math.max(q80, s[at + H.band + BAND.q95]!)
    forecasts.push({
      horizon: h,
      predicted,
      sigma,
      half80: Math.min(MAX_HALF_WIDTH, q80 * sigma),
      half95: Math.min(MAX_HALF_WIDTH, q95 * sigma),
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
  for (const [k, h] of LONG_HORIZONS.entries()) {
    const at = offsets[k]!
    const next = s[at + H.next]!
    const entry = at + H.ring + ENTRY * next
    const forecast = forecasts.find((candidate) => candidate.horizon === h)
    s[entry + E.logClose] = logClose
    s[entry + E.predicted] = forecast?.predicted ?? Number.NaN
    s[entry + E.sigma] = forecast?.sigma ?? Number.NaN
    s[entry + E.half80] = forecast?.half80 ?? Number.NaN
    s[entry + E.half95] = forecast?.half95 ?? Number.NaN
    s[entry + E.model] = model
    s[entry + E.varianceModel] = varianceModel
    s[at + H.next] = (next + 1) % h
    s[at + H.filled] = Math.min(h, s[at + H.filled]! + 1)
  }
}

/** Each horizon's scores so far; null rates before its first scored forecast. */
export function horizonScores(s: Float64Array): HorizonScores[] {
  return LONG_HORIZONS.map((h, k) => {
    const at = offsets[k]!
    const n = s[at + H.n]!
    const rate = (index: number): number | null => (n > 0 ? s[at + index]! / n : null)
    return {
      horizon: h,
      n,
      coverage80: rate(H.hits80),
      coverage95: rate(H.hits95),
      winkler80: rate(H.sumWinkler80),
      winkler95: rate(H.sumWinkler95),
    }
  })
}
