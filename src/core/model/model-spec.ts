import type { z } from 'zod'
import type { FeatureName } from '../features/feature-names.ts'

/** Feature values by name, as a FeatureRow carries them; null while a feature is not yet defined. */
export type FeatureValues = Readonly<Record<string, number | null>>

/**
 * An online forecaster of the next bar's log return. Its state is plain JSON data that `update`
 * changes in place, so the hot path allocates nothing; `copy` gives an independent state for
 * snapshots. Method syntax keeps specs with different state types assignable to one
 * `ModelSpec<unknown>` list.
 */
export interface ModelSpec<S> {
  /** Stable name: the key of the model's state in a snapshot and the id a Prediction carries. */
  readonly id: string
  readonly kind: string
  /** Bumped whenever the state layout or the meaning of a parameter changes. */
  readonly version: number
  /** Feature names the model reads from a row (empty for naive), in the order of its inputs. */
  readonly features: readonly FeatureName[]
  /**
   * The state's contract. Where the state has number fields that `update` sets to fractions, the
   * schema lists its keys in another order than the state objects have them: V8 gives objects
   * whose keys come in the same order one hidden class, so the schema's shape (which holds zod
   * objects) would make those fields boxed, and every update would allocate a number that lives as
   * long as the state (measured: about 1.4 µs a message in garbage collection at 10,000 symbols).
   */
  readonly stateSchema: z.ZodType<S>
  init(): S
  /** A state that shares nothing with `state`. */
  copy(state: S): S
  /**
   * Predicted log return of the next bar from the values of `features`, all finite; NaN while the
   * model is warming up.
   */
  predict(state: S, x: ArrayLike<number>): number
  /** Learns in place that the bar after the one described by `x` (all finite) had log return `y`. */
  update(state: S, x: ArrayLike<number>, y: number): void
}

export type AnyModelSpec = ModelSpec<unknown>

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
