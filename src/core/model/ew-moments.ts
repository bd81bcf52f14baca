/**
 * Where exponentially weighted moments of a vector lie in a model state: the total weight Σρ^k of
 * the observations seen (0 before the first), their count, then `dimension` means and weighted
 * sums of squared deviations (the variance is `sumSq / weight`).
 */
export interface EwMomentsIndex {
  readonly dimension: number
  readonly weight: number
  readonly count: number
  readonly mean: number
  readonly sumSq: number
}

/** Sets the moments at `m` in `s` to those of no observation. */
export function initEwMoments(s: Float64Array, m: EwMomentsIndex): void {
  s[m.weight] = 0
  s[m.count] = 0
  s.fill(0, m.mean, m.mean + m.dimension)
  s.fill(0, m.sumSq, m.sumSq + m.dimension)
}

/**
 * Adds one observation with weight 1 after decaying the previous weights by `decay` (West's
 * weighted incremental update), in place: the mean and variance equal the batch weighted ones
 * exactly.
 */
export function updateEwMoments(
  s: Float64Array,
  m: EwMomentsIndex,
  x: ArrayLike<number>,
  decay: number,
): void {
  const weight = decay * s[m.weight]! + 1
  for (let i = 0; i < m.dimension; i++) {
    const value = x[i] ?? 0
    const previous = s[m.mean + i]!
    const next = previous + (value - previous) / weight
    s[m.mean + i] = next
    s[m.sumSq + i] = decay * s[m.sumSq + i]! + (value - previous) * (value - next)
  }
  s[m.weight] = weight
  s[m.count] = s[m.count]! + 1
}

/** Standard deviation of component `i`, 0 before any observation. */
export function ewStandardDeviation(s: Float64Array, m: EwMomentsIndex, i: number): number {
  const weight = s[m.weight]!
  if (weight === 0) return 0
  return Math.sqrt(Math.max(0, s[m.sumSq + i]! / weight))
}
