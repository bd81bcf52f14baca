/**
 * Diebold–Mariano statistic from running sums of the loss differential d_t = L(model) − L(naive):
 * DM = d̄ / √(γ̂₀/n), with γ̂₀ = (1/n)Σ(d − d̄)². For one-step forecasts the HAC long-run variance
 * has no autocovariance terms, so it is the plain variance. Negative means the model's loss is
 * lower; |DM| > 1.96 is significant at 5 %. Null when n < 2 or the differential never varies.
 */
export function dieboldMariano(n: number, sumDiff: number, sumDiffSq: number): number | null {
  if (n < 2) return null
  const mean = sumDiff / n
  const variance = sumDiffSq / n - mean * mean
  if (!(variance > 1e-300)) return null
  const dm = mean / Math.sqrt(variance / n)
  return Number.isFinite(dm) ? dm : null
}
