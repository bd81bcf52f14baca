import { z } from 'zod'
import { withoutNegativeZero } from './without-negative-zero.ts'

// The keys in another order than the state's (see `stateSchema` in model-spec.ts).
export const rlsSchema = z
  .object({
    updates: z.number().int().nonnegative(),
    theta: z.array(z.number()),
    /** The inverse-information matrix P, upper triangle packed row by row (it is symmetric). */
    p: z.array(z.number()),
    /** Times P was reset to P0 because it stopped being usable (non-finite, non-positive or wound up). */
    resets: z.number().int().nonnegative(),
  })
  .strict()

/** Recursive least squares: coefficients and P. */
export type Rls = z.infer<typeof rlsSchema>

export interface RlsParams {
  /** Forgetting factor λ in (0, 1]: an observation k updates old weighs λ^k. */
  readonly lambda: number
  /** Ridge start P0 = I/δ. */
  readonly delta: number
  /** P is reset to P0 when its trace exceeds this multiple of trace(P0) (covariance wind-up). */
  readonly maxTraceRatio: number
}

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

function fillIdentityPacked(p: number[], d: number, value: number): void {
  p.fill(0)
  for (let i = 0; i < d; i++) p[packedIndex(d, i, i)] = value
}

export function initialRls(dimension: number, delta: number): Rls {
  const p = new Array<number>((dimension * (dimension + 1)) / 2)
  fillIdentityPacked(p, dimension, 1 / delta)
  return { theta: new Array<number>(dimension).fill(0), p, updates: 0, resets: 0 }
}

export function copyRls(rls: Rls): Rls {
  return { theta: [...rls.theta], p: [...rls.p], updates: rls.updates, resets: rls.resets }
}

/** θᵀx. */
export function rlsPredict(rls: Rls, x: ArrayLike<number>): number {
  const { theta } = rls
  let sum = 0
  for (let i = 0; i < theta.length; i++) sum += (theta[i] ?? 0) * (x[i] ?? 0)
  return sum
}

/**
 * One exponentially weighted RLS step, in place: θ minimises Σ λ^(t−i) (y_i − θᵀx_i)² + λ^t δ‖θ‖².
 * P stays symmetric by construction (it is stored packed); when P stops being finite and positive
 * on the diagonal, or winds up past `maxTraceRatio`, it is reset to P0 (θ is kept if finite).
 * `px` is scratch space of θ's length.
 */
export function rlsUpdate(
  rls: Rls,
  x: ArrayLike<number>,
  y: number,
  params: RlsParams,
  px: Float64Array,
): void {
  const { theta, p } = rls
  const d = theta.length
  const { lambda } = params
  const index = packedIndexTable(d)
  let xpx = 0
  for (let i = 0; i < d; i++) {
    let sum = 0
    for (let j = 0; j < d; j++) sum += (p[index[i * d + j] ?? 0] ?? 0) * (x[j] ?? 0)
    px[i] = sum
    xpx += (x[i] ?? 0) * sum
  }
  const denominator = lambda + xpx
  const error = y - rlsPredict(rls, x)
  let isThetaFinite = true
  for (let i = 0; i < d; i++) {
    const t = (theta[i] ?? 0) + ((px[i] ?? 0) / denominator) * error
    theta[i] = t
    if (!Number.isFinite(t)) isThetaFinite = false
  }
  let trace = 0
  let isUsable = Number.isFinite(denominator) && denominator > 0
  // The upper triangle row by row is the packed order: k = packedIndex(d, i, j).
  let k = 0
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++, k++) {
      const pij = ((p[k] ?? 0) - ((px[i] ?? 0) * (px[j] ?? 0)) / denominator) / lambda
      p[k] = withoutNegativeZero(pij)
      if (i === j) {
        trace += pij
        if (!(pij > 0)) isUsable = false
      }
    }
  }
  const maxTrace = (params.maxTraceRatio * d) / params.delta
  if (!Number.isFinite(trace) || trace > maxTrace) isUsable = false
  rls.updates += 1
  if (isUsable && isThetaFinite) {
    for (let i = 0; i < d; i++) theta[i] = withoutNegativeZero(theta[i] ?? 0)
    return
  }
  if (!isThetaFinite) theta.fill(0)
  fillIdentityPacked(p, d, 1 / params.delta)
  rls.resets += 1
}
