import { withoutNegativeZero } from './without-negative-zero.ts'

/**
 * Per-level calibration of |error|/σ, changed in place: for each level the current quantile q of the
 * score (the half-width in units of σ) and adaptive conformal inference's working miss rate α_t,
 * at `BAND`. Four numbers, however long the series.
 */
export type ConformalBand = Float64Array

export const BAND = { q80: 0, alpha80: 1, q95: 2, alpha95: 3 } as const
export const BAND_LENGTH = 4

/** The two coverage levels every prediction carries, with where each keeps its q and α in a band. */
export const BAND_LEVELS = [
  { key: 'p80', coverage: 0.8, normalQuantile: 1.2815515655446004, q: BAND.q80, alpha: BAND.alpha80 },
  { key: 'p95', coverage: 0.95, normalQuantile: 1.959963984540054, q: BAND.q95, alpha: BAND.alpha95 },
] as const

export interface ConformalBandParams {
  /** Step of the quantile tracker on log q. */
  readonly quantileStep: number
  /** ACI's γ: how fast the working miss rate reacts to misses. */
  readonly aciStep: number
  readonly minQ: number
  readonly maxQ: number
}

/** Starts from the Gaussian quantiles, which are right when σ is right and errors are normal. */
export function initialConformalBand(): ConformalBand {
  const band = new Float64Array(BAND_LENGTH)
  for (const level of BAND_LEVELS) {
    band[level.q] = level.normalQuantile
    band[level.alpha] = 1 - level.coverage
  }
  return band
}

/**
 * Learns from one score s = |error|/σ, in place. Each level keeps a streaming quantile of s at
 * level 1 − α_t (stochastic gradient on the pinball loss, multiplicative so q stays positive), and
 * adaptive conformal inference (Gibbs & Candès 2021) moves the level itself:
 * α_{t+1} = α_t + γ(α − err_t). Together they act as a PI controller on coverage (Angelopoulos,
 * Candès & Tibshirani 2023), so long-run coverage holds even when σ lags a volatility shift.
 */
export function updateConformalBand(band: ConformalBand, score: number, params: ConformalBandParams): void {
  updateConformalBandFromMisses(band, score > band[BAND.q80]!, score > band[BAND.q95]!, params)
}

/**
 * The same update from whether each level's interval missed, for a band whose scores arrive later
 * than the next forecast (a horizon's outcome, `horizon-bands.ts`): the miss is of the interval
 * that was published. The band's four numbers start at `at` in `band`; `weight` scales both steps
 * (an outcome that overlaps the next h − 1 carries about 1/h of an independent one's news).
 */
export function updateConformalBandFromMisses(
  band: Float64Array,
  miss80: boolean,
  miss95: boolean,
  params: ConformalBandParams,
  at = 0,
  weight = 1,
): void {
  for (const level of BAND_LEVELS) {
    const q = band[at + level.q]!
    const alpha = band[at + level.alpha]!
    const miss = (level.q === BAND.q80 ? miss80 : miss95) ? 1 : 0
    const nextQ = q * Math.exp(weight * params.quantileStep * (miss - alpha))
    const nextAlpha = alpha + weight * params.aciStep * (1 - level.coverage - miss)
    band[at + level.q] = Math.min(params.maxQ, Math.max(params.minQ, nextQ))
    band[at + level.alpha] = withoutNegativeZero(Math.min(1, Math.max(0, nextAlpha)))
  }
}

/** Log-space half-widths cap: past this an interval says nothing and prices would underflow. */
const MAX_HALF_WIDTH = 10

/** Half-width in log-return units of the 80 % interval for volatility σ; the band's numbers start at `at`. */
export function halfWidth80(band: Float64Array, sigma: number, at = 0): number {
  return Math.min(MAX_HALF_WIDTH, band[at + BAND.q80]! * sigma)
}

/** Half-width of the 95 % interval, which never sits inside the 80 % one. */
export function halfWidth95(band: Float64Array, sigma: number, at = 0): number {
  return Math.min(MAX_HALF_WIDTH, Math.max(band[at + BAND.q80]!, band[at + BAND.q95]!) * sigma)
}
