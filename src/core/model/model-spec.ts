import type { z } from 'zod'

/** Feature values by name, as a FeatureRow carries them; null while a feature is not yet defined. */
export type FeatureValues = Readonly<Record<string, number | null>>

/**
 * An online forecaster of the next bar's log return. Its state is plain JSON data; `predict` and
 * `update` are pure and never mutate their arguments. Method syntax keeps specs with different
 * state types assignable to one `ModelSpec<unknown>` list.
 */
export interface ModelSpec<S> {
  /** Stable name: the key of the model's state in a snapshot and the id a Prediction carries. */
  readonly id: string
  readonly kind: string
  /** Bumped whenever the state layout or the meaning of a parameter changes. */
  readonly version: number
  /** Feature names the model reads from a row (empty for naive). */
  readonly features: readonly string[]
  readonly stateSchema: z.ZodType<S>
  init(): S
  /** Predicted log return of the next bar, or null while the model is warming up or an input is missing. */
  predict(state: S, x: FeatureValues): number | null
  /** Learns that the bar after the one described by `x` had log return `y`. */
  update(state: S, x: FeatureValues, y: number): S
}

export type AnyModelSpec = ModelSpec<unknown>

/** The model's inputs in its own order, or null when any of them is missing or not finite. */
export function pickFeatures(x: FeatureValues, names: readonly string[]): number[] | null {
  const values: number[] = []
  for (const name of names) {
    const value = x[name]
    if (value === null || value === undefined || !Number.isFinite(value)) return null
    values.push(value)
  }
  return values
}
