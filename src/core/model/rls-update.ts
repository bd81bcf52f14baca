import { z } from 'zod'

export const rlsSchema = z
  .object({
    theta: z.array(z.number()),
    /** The inverse-information matrix P, upper triangle packed row by row (it is symmetric). */
    p: z.array(z.number()),
    updates: z.number().int().nonnegative(),
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

function identityPacked(d: number, value: number): number[] {
  const p = new Array<number>((d * (d + 1)) / 2).fill(0)
  for (let i = 0; i < d; i++) p[packedIndex(d, i, i)] = value
  return p
}

export function initialRls(dimension: number, delta: number): Rls {
  return {
    theta: new Array<number>(dimension).fill(0),
    p: identityPacked(dimension, 1 / delta),
    updates: 0,
    resets: 0,
  }
}

/** θᵀx. */
export function rlsPredict(rls: Rls, x: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < rls.theta.length; i++) sum += (rls.theta[i] ?? 0) * (x[i] ?? 0)
  return sum
}

/**
 * One exponentially weighted RLS step: θ minimises Σ λ^(t−i) (y_i − θᵀx_i)² + λ^t δ‖θ‖².
 * P stays symmetric by construction (it is stored packed and each pair is averaged); when P
 * stops being finite and positive on the diagonal, or winds up past `maxTraceRatio`, it is
 * reset to P0 (θ is kept if finite).
 */
export function rlsUpdate(rls: Rls, x: readonly number[], y: number, params: RlsParams): Rls {
  const d = rls.theta.length
  const { lambda } = params
  const at = (i: number, j: number): number => rls.p[packedIndex(d, i, j)] ?? 0
  const px = new Array<number>(d).fill(0)
  let xpx = 0
  for (let i = 0; i < d; i++) {
    let sum = 0
    for (let j = 0; j < d; j++) sum += at(i, j) * (x[j] ?? 0)
    px[i] = sum
    xpx += (x[i] ?? 0) * sum
  }
  const denominator = lambda + xpx
  const error = y - rlsPredict(rls, x)
  const theta = rls.theta.map((t, i) => t + ((px[i] ?? 0) / denominator) * error)
  const p = new Array<number>(rls.p.length)
  let trace = 0
  let isUsable = Number.isFinite(denominator) && denominator > 0
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const pij = (at(i, j) - ((px[i] ?? 0) * (px[j] ?? 0)) / denominator) / lambda
      p[packedIndex(d, i, j)] = pij + 0
      if (i === j) {
        trace += pij
        if (!(pij > 0)) isUsable = false
      }
    }
  }
  const maxTrace = (params.maxTraceRatio * d) / params.delta
  if (!Number.isFinite(trace) || trace > maxTrace) isUsable = false
  const isThetaFinite = theta.every(Number.isFinite)
  if (isUsable && isThetaFinite) {
    return { theta: theta.map((t) => t + 0), p, updates: rls.updates + 1, resets: rls.resets }
  }
  return {
    theta: isThetaFinite ? theta : new Array<number>(d).fill(0),
    p: identityPacked(d, 1 / params.delta),
    updates: rls.updates + 1,
    resets: rls.resets + 1,
  }
}
