import { z } from 'zod'
import {
  copyEwMoments,
  ewMomentsSchema,
  ewStandardDeviation,
  initialEwMoments,
  updateEwMoments,
  type EwMoments,
} from './ew-moments.ts'
import type { FeatureName } from '../features/feature-names.ts'
import type { ModelSpec } from './model-spec.ts'
import { copyRls, initialRls, rlsPredict, rlsSchema, rlsUpdate } from './rls-update.ts'

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

const rlsModelStateSchema = z
  .object({
    rls: rlsSchema,
    /** Moments of the inputs, then the target's as the last component. */
    moments: ewMomentsSchema,
  })
  .strict()

type RlsModelState = z.infer<typeof rlsModelStateSchema>

const clamp = (value: number, limit: number): number => Math.min(limit, Math.max(-limit, value))

/** Root mean square of the target: the scale returns are measured in, before centring. */
function targetScale(moments: EwMoments, i: number): number {
  const sd = ewStandardDeviation(moments, i)
  const mean = moments.mean[i] ?? 0
  return Math.sqrt(sd * sd + mean * mean)
}

/**
 * Online RLS with a forgetting factor on standardised inputs: each feature is centred and scaled
 * by its exponentially weighted moments, and the target (the next log return) is divided by its
 * exponentially weighted RMS, so θ is scale-free and a volatile regime does not outweigh a calm
 * one. The forecast is RMS × θᵀz. NaN while warming up.
 */
export function createRlsModel(options: RlsModelOptions): ModelSpec<RlsModelState> {
  const width = options.features.length
  const offset = options.hasIntercept ? 1 : 0
  const dimension = width + offset
  const params = { lambda: options.lambda, delta: options.delta, maxTraceRatio: options.maxTraceRatio }
  // Scratch space, reused by every state of this model: the hot path allocates nothing.
  const z = new Float64Array(dimension).fill(1)
  const px = new Float64Array(dimension)
  const observation = new Float64Array(width + 1)

  const standardise = (moments: EwMoments, values: ArrayLike<number>): Float64Array => {
    for (let i = 0; i < width; i++) {
      const sd = ewStandardDeviation(moments, i)
      z[i + offset] = sd > 0 ? clamp(((values[i] ?? 0) - (moments.mean[i] ?? 0)) / sd, options.clip) : 0
    }
    return z
  }
  const isWarm = (state: RlsModelState): boolean => state.moments.count >= options.warmupBars

  return {
    id: options.id,
    kind: 'rls',
    version: 1,
    features: options.features,
    stateSchema: rlsModelStateSchema,
    init: () => ({ rls: initialRls(dimension, options.delta), moments: initialEwMoments(width + 1) }),
    copy: (state) => ({ rls: copyRls(state.rls), moments: copyEwMoments(state.moments) }),
    predict(state, x) {
      if (!isWarm(state)) return Number.NaN
      const scale = targetScale(state.moments, width)
      return scale * clamp(rlsPredict(state.rls, standardise(state.moments, x)), options.clip)
    },
    update(state, x, y) {
      if (!Number.isFinite(y)) return
      const scale = targetScale(state.moments, width)
      if (isWarm(state) && scale > 0) {
        rlsUpdate(state.rls, standardise(state.moments, x), clamp(y / scale, options.clip), params, px)
      }
      for (let i = 0; i < width; i++) observation[i] = x[i] ?? 0
      observation[width] = y
      updateEwMoments(state.moments, observation, options.scaleDecay)
    },
  }
}
