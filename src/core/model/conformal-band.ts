import { z } from 'zod'

/** The two coverage levels every prediction carries. */
export const BAND_LEVELS = [
  { key: 'p80', coverage: 0.8, normalQuantile: 1.2815515655446004 },
  { key: 'p95', coverage: 0.95, normalQuantile: 1.959963984540054 },
] as const

const levelStateSchema = z
  .object({
    /** Current quantile of the score |error|/σ: the half-width in units of σ. */
    q: z.number().positive(),
    /** Adaptive conformal inference's working miss rate α_t. */
    alpha: z.number().min(0).max(1),
  })
  .strict()

export const conformalBandSchema = z.object({ p80: levelStateSchema, p95: levelStateSchema }).strict()

/** Per-level calibration of |error|/σ: a few numbers, however long the series. */
export type ConformalBand = z.infer<typeof conformalBandSchema>

export interface ConformalBandParams {
  /** Step of the quantile tracker on log q. */
  readonly quantileStep: number
  /** ACI's γ: how fast the working miss rate reacts to misses. */
  readonly aciStep: number
  readonly minQ: number
  readonly maxQ: number
}

/** Starts from the Gaussian quantiles, which are right when σ is right and errors are normal. */
export const initialConformalBand: ConformalBand = {
  p80: { q: BAND_LEVELS[0].normalQuantile, alpha: 1 - BAND_LEVELS[0].coverage },
  p95: { q: BAND_LEVELS[1].normalQuantile, alpha: 1 - BAND_LEVELS[1].coverage },
}

/**
 * Learns from one score s = |error|/σ. Each level keeps a streaming quantile of s at level
 * 1 − α_t (stochastic gradient on the pinball loss, multiplicative so q stays positive), and
 * adaptive conformal inference (Gibbs & Candès 2021) moves the level itself:
 * α_{t+1} = α_t + γ(α − err_t). Together they act as a PI controller on coverage (Angelopoulos,
 * Candès & Tibshirani 2023), so long-run coverage holds even when σ lags a volatility shift.
 */
export function updateConformalBand(
  band: ConformalBand,
  score: number,
  params: ConformalBandParams,
): ConformalBand {
  const [p80, p95] = BAND_LEVELS.map(({ key, coverage }) => {
    const level = band[key]
    const miss = score > level.q ? 1 : 0
    const q = level.q * Math.exp(params.quantileStep * (miss - level.alpha))
    const alpha = level.alpha + params.aciStep * (1 - coverage - miss)
    return {
      q: Math.min(params.maxQ, Math.max(params.minQ, q)),
      alpha: Math.min(1, Math.max(0, alpha)) + 0,
    }
  })
  return { p80: p80 ?? band.p80, p95: p95 ?? band.p95 }
}

/** Log-space half-widths cap: past this an interval says nothing and prices would underflow. */
const MAX_HALF_WIDTH = 10

/**
 * Half-widths in log-return units of the 80 % and 95 % intervals for volatility σ; the 95 %
 * interval never sits inside the 80 % one.
 */
export function bandHalfWidths(band: ConformalBand, sigma: number): { half80: number; half95: number } {
  const half80 = Math.min(MAX_HALF_WIDTH, band.p80.q * sigma)
  return { half80, half95: Math.min(MAX_HALF_WIDTH, Math.max(band.p80.q, band.p95.q) * sigma) }
}
