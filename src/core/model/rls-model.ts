import { z } from 'zod'
import { ewStandardDeviation, initEwMoments, updateEwMoments, type EwMomentsIndex } from './ew-moments.ts'
import type { FeatureName } from '../features/feature-names.ts'
import type { ModelSpec } from './model-spec.ts'
import { defineStateLayout } from './model-state-layout.ts'
import { initRls, packedLength, rlsPredict, rlsUpdate, type RlsIndex } from './rls-update.ts'

export interface RlsModelOptions {
  readonly id: string
  readonly features: readonly FeatureName[]
  /** Forgetting factor λ of the regression. */
  readonly lambda: number
  /** Ridge start P0 = I/δ, in standardised units: about δ pseudo-observations at θ = 0. */
  readonly delta: number
  /** Decay of the exponentially weighted moments that standardise inputs and scale the target. */
  readonly scaleDecay: number
  /** Updates of the moments before the model predicts or learns. */
  readonly warmupBars: number
  /** Standardised inputs and targets are clipped to ±this, so one crash day cannot dominate θ. */
  readonly clip: number
  readonly hasIntercept: boolean
  readonly maxTraceRatio: number
}

const count = z.number().int().nonnegative()
const numbers = (length: number) => z.array(z.number()).length(length)

const clamp = (value: number, limit: number): number => Math.min(limit, Math.max(-limit, value))

/**
 * Online RLS with a forgetting factor on standardised inputs: each feature is centred and scaled
 * by its exponentially weighted moments, and the target (the next log return) is divided by its
 * exponentially weighted RMS, so θ is scale-free and a volatile regime does not outweigh a calm
 * one. The forecast is RMS × θᵀz. NaN while warming up.
 */
export function createRlsModel(options: RlsModelOptions): ModelSpec {
  const width = options.features.length
  const offset = options.hasIntercept ? 1 : 0
  const dimension = width + offset
  const params = { lambda: options.lambda, delta: options.delta, maxTraceRatio: options.maxTraceRatio }
  // The moments of the inputs, then the target's as the last component.
  const layout = defineStateLayout([
    ['rls.theta', dimension],
    ['rls.p', packedLength(dimension)],
    'rls.updates',
    'rls.resets',
    'moments.weight',
    'moments.count',
    ['moments.mean', width + 1],
    ['moments.sumSq', width + 1],
  ])
  const { at } = layout
  const rls: RlsIndex = {
    dimension,
    theta: at['rls.theta'],
    p: at['rls.p'],
    updates: at['rls.updates'],
    resets: at['rls.resets'],
  }
  const moments: EwMomentsIndex = {
    dimension: width + 1,
    weight: at['moments.weight'],
    count: at['moments.count'],
    mean: at['moments.mean'],
    sumSq: at['moments.sumSq'],
  }
  const stateSchema = z
    .object({
      rls: z
        .object({
          theta: numbers(dimension),
          p: numbers(packedLength(dimension)),
          updates: count,
          resets: count,
        })
        .strict(),
      moments: z
        .object({
          weight: z.number().nonnegative(),
          count,
          mean: numbers(width + 1),
          sumSq: numbers(width + 1),
        })
        .strict(),
    })
    .strict()
  // Scratch space, reused by every state of this model: the hot path allocates nothing.
  const standardised = new Float64Array(dimension).fill(1)
  const px = new Float64Array(dimension)
  const observation = new Float64Array(width + 1)

  const standardise = (s: Float64Array, values: ArrayLike<number>): Float64Array => {
    for (let i = 0; i < width; i++) {
      const sd = ewStandardDeviation(s, moments, i)
      standardised[i + offset] =
        sd > 0 ? clamp(((values[i] ?? 0) - s[moments.mean + i]!) / sd, options.clip) : 0
    }
    return standardised
  }
  /** Root mean square of the target: the scale returns are measured in, before centring. */
  const targetScale = (s: Float64Array): number => {
    const sd = ewStandardDeviation(s, moments, width)
    const mean = s[moments.mean + width]!
    return Math.sqrt(sd * sd + mean * mean)
  }
  const isWarm = (s: Float64Array): boolean => s[moments.count]! >= options.warmupBars

  return {
    id: options.id,
    kind: 'rls',
    version: 1,
    features: options.features,
    layout,
    stateSchema,
    init(s) {
      initRls(s, rls, options.delta)
      initEwMoments(s, moments)
    },
    predict(s, x) {
      if (!isWarm(s)) return Number.NaN
      return targetScale(s) * clamp(rlsPredict(s, rls, standardise(s, x)), options.clip)
    },
    update(s, x, y) {
      if (!Number.isFinite(y)) return
      const scale = targetScale(s)
      if (isWarm(s) && scale > 0) {
        rlsUpdate(s, rls, standardise(s, x), clamp(y / scale, options.clip), params, px)
      }
      for (let i = 0; i < width; i++) observation[i] = x[i] ?? 0
      observation[width] = y
      updateEwMoments(s, moments, observation, options.scaleDecay)
    },
  }
}
