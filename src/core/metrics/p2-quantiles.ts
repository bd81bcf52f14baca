import { withoutNegativeZero } from '../model/without-negative-zero.ts'

/**
 * The P² algorithm for equiprobable cells (Jain & Chlamtac 1985, "The P² algorithm for dynamic
 * calculation of quantiles and histograms without storing observations", §5): `cells + 1`
 * markers whose heights estimate the 0, 1/cells, …, 1 quantiles of everything seen, in
 * 2 · (cells + 1) numbers however long the stream. The markers live in `state` from `at`: their
 * heights, then their (1-based) positions. The first `cells + 1` observations are kept sorted
 * and exact; after that each moves the markers by at most one position, parabolically when that
 * keeps the heights in order, else linearly.
 */
export function addP2Observation(
  state: Float64Array,
  at: number,
  cells: number,
  count: number,
  x: number,
): void {
  const h = at
  const p = at + cells + 1
  if (count <= cells + 1) {
    // Insertion into the sorted first observations.
    let i = count - 1
    while (i > 0 && state[h + i - 1]! > x) {
      state[h + i] = state[h + i - 1]!
      i -= 1
    }
    state[h + i] = withoutNegativeZero(x)
    state[p + count - 1] = count
    return
  }
  let cell = 0
  if (x < state[h]!) state[h] = withoutNegativeZero(x)
  else if (x >= state[h + cells]!) {
    state[h + cells] = withoutNegativeZero(x)
    cell = cells - 1
  } else while (x >= state[h + cell + 1]!) cell += 1
  for (let i = cell + 1; i <= cells; i++) state[p + i] = state[p + i]! + 1
  for (let i = 1; i < cells; i++) {
    const n = state[p + i]!
    const off = 1 + (i * (count - 1)) / cells - n
    const nPrev = state[p + i - 1]!
    const nNext = state[p + i + 1]!
    if (!((off >= 1 && nNext - n > 1) || (off <= -1 && nPrev - n < -1))) continue
    const d = off > 0 ? 1 : -1
    const q = state[h + i]!
    const qPrev = state[h + i - 1]!
    const qNext = state[h + i + 1]!
    const parabolic =
      q +
      (d / (nNext - nPrev)) *
        (((n - nPrev + d) * (qNext - q)) / (nNext - n) + ((nNext - n - d) * (q - qPrev)) / (n - nPrev))
    state[h + i] =
      qPrev < parabolic && parabolic < qNext
        ? parabolic
        : q + (d * (state[h + i + d]! - q)) / (state[p + i + d]! - n)
    state[p + i] = n + d
  }
}

/**
 * The estimate of the `k / cells` quantile after `count` observations: marker k's height, or
 * while fewer than `cells + 1` are kept, their sample quantile (linear between order statistics,
 * which is where the markers start). NaN before the first observation.
 */
export function p2Quantile(state: Float64Array, at: number, cells: number, count: number, k: number): number {
  if (count === 0) return Number.NaN
  if (count > cells) return state[at + k] ?? Number.NaN
  const rank = ((count - 1) * k) / cells
  const below = Math.floor(rank)
  const low = state[at + below] ?? Number.NaN
  const high = state[at + Math.min(count - 1, below + 1)] ?? Number.NaN
  return low + (rank - below) * (high - low)
}
