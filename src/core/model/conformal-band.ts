import { withoutNegativeZero } from './without-negative-zero.ts'
/** The two coverage levels every prediction carries. */
export const BAND_LEVELS = [
  { key: 'p80', coverage: 0.8, normalQuantile: 1.2815515655446004 },
  { key: 'p95', coverage: 0.95, normalQuantile: 1.959963984540054 },
] as const

/**
 * Per-level calibration of |error|/σ, changed in place: for each level the current quantile q of the
 * score (the half-width in units of σ) and adaptive conformal inference's working miss rate α_t,
 * as [q80, α80, q95, α95]. Four numbers, however long the series.
 */
export type ConformalBand = Float64Array

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
  return Float64Array.of(
    BAND_LEVELS[0].normalQuantile,
    1 - BAND_LEVELS[0].coverage,
    BAND_LEVELS[1].normalQuantile,
    1 - BAND_LEVELS[1].coverage,
  )
}

/**
 * Learns from one score s = |error|/σ, in place. Each level keeps a streaming quantile of s at
 * level 1 − α_t (stochastic gradient on the pinball loss, multiplicative so q stays positive), and
 * adaptive conformal inference (Gibbs & Candès 2021) moves the level itself:
 * α_{t+1} = α_t + γ(α − err_t). Together they act as a PI controller on coverage (Angelopoulos,
 * Candès & Tibshirani 2023), so long-run coverage holds even when σ lags a volatility shift.
 */
export function updateConformalBand(band: ConformalBand, score: number, params: ConformalBandParams): void {
  for (let level = 0; level < BAND_LEVELS.length; level++) {
    const coverage = BAND_LEVELS[level]?.coverage ?? 0
    const q = band[2 * level] ?? 0
    const alpha = band[2 * level + 1] ?? 0
    const miss = score > q ? 1 : 0
    const nextQ = q * Math.exp(params.quantileStep * (miss - alpha))
    const nextAlpha = alpha + params.aciStep * (1 - coverage - miss)
    band[2 * level] = Math.min(params.maxQ, Math.max(params.minQ, nextQ))
    band[2 * level + 1] = withoutNegativeZero(Math.min(1, Math.max(0, nextAlpha)))
  }
}

/** Log-space half-widths cap: past this an interval says nothing and prices would underflow. */
const MAX_HALF_WIDTH = 10

/** Half-width in log-return units of the 80 % interval for volatility σ. */
export function halfWidth80(band: ConformalBand, sigma: number): number {
  return Math.min(MAX_HALF_WIDTH, (band[0] ?? 0) * sigma)
}

/** Half-width of the 95 % interval, which never sits inside the 80 % one. */
export function halfWidth95(band: ConformalBand, sigma: number): number {
  return Math.min(MAX_HALF_WIDTH, Math.max(band[0] ?? 0, band[2] ?? 0) * sigma)
}
