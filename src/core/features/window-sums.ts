/**
 * Rolling Σx and Σx² of a window, each kept as an unevaluated sum of two doubles (hi + lo,
 * "double-double", about 106 bits) in four consecutive slots of a Float64Array: [Σx hi, Σx lo,
 * Σx² hi, Σx² lo]. Squares are formed exactly (Dekker's split) and every add and remove goes
 * through error-free transformations (Knuth's TwoSum), so a slide rounds only at about 2^-106 of
 * the sums: the drift that plagues running sums of squares stays far below double precision for
 * any realistic stream length. See README.md for the error bound.
 */
const SPLIT = 134_217_729 // 2^27 + 1

/** Error of the product `p = a * b`: a * b - p exactly (Dekker), for |a|, |b| below about 2^995. */
function productError(a: number, b: number, p: number): number {
  let c = SPLIT * a
  const aHi = c - (c - a)
  const aLo = a - aHi
  c = SPLIT * b
  const bHi = c - (c - b)
  const bLo = b - bHi
  return aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo
}

/** sums[at..at+1] += a + b + tiny, with a and b added exactly and the pair renormalised. */
function accumulate(sums: Float64Array, at: number, a: number, b: number, tiny: number): void {
  const hi = sums[at] ?? 0
  const s = hi + a
  let v = s - hi
  let e = hi - (s - v) + (a - v)
  const t = s + b
  v = t - s
  e += s - (t - v) + (b - v)
  const lo = (sums[at + 1] ?? 0) + e + tiny
  const h = t + lo
  v = h - t
  sums[at] = h
  sums[at + 1] = t - (h - v) + (lo - v)
}

/** Slides the window at `sums[at..at+3]` in place: adds `xIn`, removes `xOut` (0 while filling). */
export function slideWindowSums(sums: Float64Array, at: number, xIn: number, xOut: number): void {
  accumulate(sums, at, xIn, -xOut, 0)
  const inSquare = xIn * xIn
  const outSquare = xOut * xOut
  accumulate(
    sums,
    at + 2,
    inSquare,
    -outSquare,
    productError(xIn, xIn, inSquare) - productError(xOut, xOut, outSquare),
  )
}

/** Σx of the window, rounded once. */
export function windowSum(sums: Float64Array, at: number): number {
  return (sums[at] ?? 0) + (sums[at + 1] ?? 0)
}

/** Σx² of the window, rounded once. */
export function windowSumOfSquares(sums: Float64Array, at: number): number {
  return (sums[at + 2] ?? 0) + (sums[at + 3] ?? 0)
}

/**
 * n·Σx² − (Σx)² = n·Σ(x − mean)² for a window of n values, never negative. The leading
 * difference is exact whenever it cancels (Sterbenz), so the result keeps full double precision
 * even when the spread is tiny next to the level (closes around 3,000 that move by cents).
 */
export function windowScaledDeviation(sums: Float64Array, at: number, n: number): number {
  const a = sums[at] ?? 0
  const b = sums[at + 1] ?? 0
  const c = sums[at + 2] ?? 0
  const d = sums[at + 3] ?? 0
  const square = a * a
  const scaled = c * n
  const tail = productError(c, n, scaled) + n * d - productError(a, a, square) - 2 * a * b - b * b
  return Math.max(0, scaled - square + tail)
}
