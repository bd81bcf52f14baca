import { withoutNegativeZero } from './without-negative-zero.ts'

/**
 * Where a recursive least squares lies in a model state: the `dimension` coefficients θ, the
 * inverse-information matrix P as its upper triangle packed row by row (`packedLength` numbers: it
 * is symmetric), the updates, and the times P was reset to P0 because it stopped being usable
 * (non-finite, non-positive or wound up).
 */
export interface RlsIndex {
  readonly dimension: number
  readonly theta: number
  readonly p: number
  readonly updates: number
  readonly resets: number
}

export interface RlsParams {
  /** Forgetting factor λ in (0, 1]: an observation k updates old weighs λ^k. */
  readonly lambda: number
  /** Ridge start P0 = I/δ. */
  readonly delta: number
  /** P is reset to P0 when its trace exceeds this multiple of trace(P0) (covariance wind-up). */
  readonly maxTraceRatio: number
}

/** Numbers of the packed upper triangle of a d × d matrix. */
export const packedLength = (d: number): number => (d * (d + 1)) / 2

const packedIndex = (d: number, i: number, j: number): number =>
  i <= j ? i * d - (i * (i - 1)) / 2 + (j - i) : j * d - (j * (j - 1)) / 2 + (i - j)

/** packedIndex(d, i, j) at [i·d + j], built once per dimension. */
const packedIndexTables: Int32Array[] = []

function packedIndexTable(d: number): Int32Array {
  let table = packedIndexTables[d]
  if (table === undefined) {
    table = new Int32Array(d * d)
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) table[i * d + j] = packedIndex(d, i, j)
    packedIndexTables[d] = table
  }
  return table
}

function fillIdentityPacked(s: Float64Array, r: RlsIndex, value: number): void {
  const d = r.dimension
  s.fill(0, r.p, r.p + packedLength(d))
  for (let i = 0; i < d; i++) s[r.p + packedIndex(d, i, i)] = value
}

/** Sets the RLS at `r` in `s` to θ = 0 and P = P0 = I/δ, with no updates. */
export function initRls(s: Float64Array, r: RlsIndex, delta: number): void {
  s.fill(0, r.theta, r.theta + r.dimension)
  fillIdentityPacked(s, r, 1 / delta)
  s[r.updates] = 0
  s[r.resets] = 0
}

/** θᵀx. */
export function rlsPredict(s: Float64Array, r: RlsIndex, x: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < r.dimension; i++) sum += s[r.theta + i]! * (x[i] ?? 0)
  return sum
}

/**
 * One exponentially weighted RLS step, in place: θ minimises Σ λ^(t−i) (y_i − θᵀx_i)² + λ^t δ‖θ‖².
 * P stays symmetric by construction (it is stored packed); when P stops being finite and positive
 * on the diagonal, or winds up past `maxTraceRatio`, it is reset to P0 (θ is kept if finite).
 * `px` is scratch space of θ's length.
 */
export function rlsUpdate(
  s: Float64Array,
  r: RlsIndex,
  x: ArrayLike<number>,
  y: number,
  params: RlsParams,
  px: Float64Array,
): void {
  const d = r.dimension
  const theta = r.theta
  const p = r.p
  const { lambda } = params
  const index = packedIndexTable(d)
  let xpx = 0
  for (let i = 0; i < d; i++) {
    let sum = 0
    for (let j = 0; j < d; j++) sum += s[p + index[i * d + j]!]! * (x[j] ?? 0)
    px[i] = sum
    xpx += (x[i] ?? 0) * sum
  }
  const denominator = lambda + xpx
  const error = y - rlsPredict(s, r, x)
  let isThetaFinite = true
  for (let i = 0; i < d; i++) {
    const t = s[theta + i]! + (px[i]! / denominator) * error
    s[theta + i] = t
    if (!Number.isFinite(t)) isThetaFinite = false
  }
  let trace = 0
  let isUsable = Number.isFinite(denominator) && denominator > 0
  // The upper triangle row by row is the packed order: k = packedIndex(d, i, j).
  let k = p
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++, k++) {
      const pij = (s[k]! - (px[i]! * px[j]!) / denominator) / lambda
      s[k] = withoutNegativeZero(pij)
      if (i === j) {
        trace += pij
        if (!(pij > 0)) isUsable = false
      }
    }
  }
  const maxTrace = (params.maxTraceRatio * d) / params.delta
  if (!Number.isFinite(trace) || trace > maxTrace) isUsable = false
  s[r.updates] = s[r.updates]! + 1
  if (isUsable && isThetaFinite) {
    for (let i = 0; i < d; i++) s[theta + i] = withoutNegativeZero(s[theta + i]!)
    return
  }
  if (!isThetaFinite) s.fill(0, theta, theta + d)
  fillIdentityPacked(s, r, 1 / params.delta)
  s[r.resets] = s[r.resets]! + 1
}
