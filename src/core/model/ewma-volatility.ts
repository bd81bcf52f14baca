/** RiskMetrics-style EWMA volatility of log returns (mean taken as 0), changed in place. */
export interface EwmaVolatility {
  /** Bias-corrected exponentially weighted mean of squared returns. */
  variance: number
  weight: number
  count: number
}

/** The name of this variance model where a forecast says which one made its σ. */
export const EWMA_VARIANCE_MODEL = 'ewma'

export const initialEwmaVolatility = (): EwmaVolatility => ({ variance: 0, weight: 0, count: 0 })

/**
 * σ²_t = Σ λ^k r²_{t−k} / Σ λ^k: the RiskMetrics recursion with its start-up bias removed, so
 * the estimate is usable after a few returns rather than after 1/(1−λ).
 */
export function updateEwmaVolatility(state: EwmaVolatility, logReturn: number, decay: number): void {
  const weight = decay * state.weight + 1
  state.variance = state.variance + (logReturn * logReturn - state.variance) / weight
  state.weight = weight
  state.count += 1
}

/** σ, floored so that a run of unchanged closes cannot make every score infinite. */
export function ewmaSigma(state: EwmaVolatility, floor: number): number {
  return Math.max(floor, Math.sqrt(state.variance))
}
