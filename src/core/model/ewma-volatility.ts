/**
 * RiskMetrics-style EWMA volatility of log returns (mean taken as 0), changed in place: its numbers
 * at `EWMA_VOLATILITY`, in the order of a snapshot's `volatility`.
 */
export type EwmaVolatility = Float64Array

export const EWMA_VOLATILITY = {
  /** Bias-corrected exponentially weighted mean of squared returns. */
  variance: 0,
  weight: 1,
  count: 2,
} as const
export const EWMA_VOLATILITY_LENGTH = 3

/** The name of this variance model where a forecast says which one made its σ. */
export const EWMA_VARIANCE_MODEL = 'ewma'

export const initialEwmaVolatility = (): EwmaVolatility => new Float64Array(EWMA_VOLATILITY_LENGTH)

/**
 * σ²_t = Σ λ^k r²_{t−k} / Σ λ^k: the RiskMetrics recursion with its start-up bias removed, so
 * the estimate is usable after a few returns rather than after 1/(1−λ).
 */
export function updateEwmaVolatility(state: EwmaVolatility, logReturn: number, decay: number): void {
  const weight = decay * state[EWMA_VOLATILITY.weight]! + 1
  const variance = state[EWMA_VOLATILITY.variance]!
  state[EWMA_VOLATILITY.variance] = variance + (logReturn * logReturn - variance) / weight
  state[EWMA_VOLATILITY.weight] = weight
  state[EWMA_VOLATILITY.count] = state[EWMA_VOLATILITY.count]! + 1
}

/** σ, floored so that a run of unchanged closes cannot make every score infinite. */
export function ewmaSigma(state: EwmaVolatility, floor: number): number {
  return Math.max(floor, Math.sqrt(state[EWMA_VOLATILITY.variance]!))
}
