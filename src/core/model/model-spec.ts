import type { z } from 'zod'
import type { FeatureName } from '../features/feature-names.ts'
import type { ModelStateJson } from './model-state-json.ts'
import type { ModelStateLayout } from './model-state-layout.ts'

/** Feature values by name, as a FeatureRow carries them; null while a feature is not yet defined. */
export type FeatureValues = Readonly<Record<string, number | null>>

/**
 * An online forecaster of the next bar's log return. Its state is one Float64Array of
 * `layout.length` numbers that `update` changes in place, so the hot path allocates nothing; a
 * copy is `state.slice()`.
 */
export interface ModelSpec {
  /** Stable name: the key of the model's state in a snapshot and the id a Prediction carries. */
  readonly id: string
  readonly kind: string
  /** Bumped whenever the state layout or the meaning of a parameter changes. */
  readonly version: number
  /** Feature names the model reads from a row (empty for naive), in the order of its inputs. */
  readonly features: readonly FeatureName[]
  /** Where each number of the state lies, and the names of the state's JSON form. */
  readonly layout: ModelStateLayout
  /** The state's JSON form (`modelStateToJson`), with the bounds a restored state must meet. */
  readonly stateSchema: z.ZodType<ModelStateJson>
  /** Sets `state` to the model's state before its first bar. */
  init(state: Float64Array): void
  /**
   * Predicted log return of the next bar from the values of `features`, all finite; NaN while the
   * model is warming up.
   */
  predict(state: Float64Array, x: ArrayLike<number>): number
  /** Learns in place that the bar after the one described by `x` (all finite) had log return `y`. */
  update(state: Float64Array, x: ArrayLike<number>, y: number): void
}

/** A state of `spec` before its first bar, in an array of its own. */
export function createModelState(spec: ModelSpec): Float64Array {
  const state = new Float64Array(spec.layout.length)
  spec.init(state)
  return state
}

/**
 * Copies the values of `names` from a row into `inputs`, NaN where one is missing; true when all
 * of them are finite, which is when a model may predict or learn from them.
 */
export function readInputs(
  values: FeatureValues,
  names: readonly FeatureName[],
  inputs: Float64Array,
): boolean {
  let isComplete = true
  for (let i = 0; i < names.length; i++) {
    const value = values[names[i] ?? ''] ?? Number.NaN
    inputs[i] = value
    if (!Number.isFinite(value)) isComplete = false
  }
  return isComplete
}
