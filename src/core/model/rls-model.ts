import { z } from 'zod'
import {
  ewMomentsSchema,
  ewStandardDeviation,
  initialEwMoments,
  updateEwMoments,
  type EwMoments,
} from './ew-moments.ts'
import { pickFeatures, type ModelSpec } from './model-spec.ts'
import { initialRls, rlsPredict, rlsSchema, rlsUpdate } from './rls-update.ts'

export interface RlsModelOptions {
  readonly id: string
  readonly features: readonly string[]
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
 * one. The forecast is RMS × θᵀz. Null while warming up or when an input is null.
 */
export function createRlsModel(options: RlsModelOptions): ModelSpec<RlsModelState> {
  const width = options.features.length
  const dimension = width + (options.hasIntercept ? 1 : 0)
  const params = { lambda: options.lambda, delta: options.delta, maxTraceRatio: options.maxTraceRatio }

  const standardise = (moments: EwMoments, values: readonly number[]): number[] => {
    const z = values.map((value, i) => {
      const sd = ewStandardDeviation(moments, i)
      return sd > 0 ? clamp((value - (moments.mean[i] ?? 0)) / sd, options.clip) : 0
    })
    return options.hasIntercept ? [1, ...z] : z
  }
  const isWarm = (state: RlsModelState): boolean => state.moments.count >= options.warmupBars

  return {
    id: options.id,
    kind: 'rls',
    version: 1,
    features: options.features,
    stateSchema: rlsModelStateSchema,
    init: () => ({ rls: initialRls(dimension, options.delta), moments: initialEwMoments(width + 1) }),
    predict(state, x) {
      const values = pickFeatures(x, options.features)
      if (values === null || !isWarm(state)) return null
      const scale = targetScale(state.moments, width)
      return scale * clamp(rlsPredict(state.rls, standardise(state.moments, values)), options.clip)
    },
    update(state, x, y) {
      const values = pickFeatures(x, options.features)
      if (values === null || !Number.isFinite(y)) return state
      let rls = state.rls
      const scale = targetScale(state.moments, width)
      if (isWarm(state) && scale > 0) {
        rls = rlsUpdate(rls, standardise(state.moments, values), clamp(y / scale, options.clip), params)
      }
      return { rls, moments: updateEwMoments(state.moments, [...values, y], options.scaleDecay) }
    },
  }
}
