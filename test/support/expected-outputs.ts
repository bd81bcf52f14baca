import type { Bar } from '../../src/core/contracts/bar.ts'
import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { createFeatureState } from '../../src/core/features/feature-state.ts'
import { nextFeatures } from '../../src/core/features/next-features.ts'
import { resolveTrainerOptions } from '../../src/core/training/trainer-options.ts'
import { evaluateSeries } from '../../src/core/training/evaluate-series.ts'
import { encodeModelSnapshot } from '../../src/core/training/model-snapshot-codec.ts'

/** Messages as the JSON text they are on the wire, per symbol, in order. */
export type BySymbol = ReadonlyMap<string, readonly string[]>

export interface ExpectedOutputs {
  readonly bars: BySymbol
  readonly features: BySymbol
  readonly predictions: BySymbol
  /** The latest model snapshot per symbol, as the compacted `models` topic keeps it (binary). */
  readonly snapshots: ReadonlyMap<string, Uint8Array>
}

/** One symbol's feature rows by the core's incremental computation, bar after bar. */
export function featureRowsOfBars(bars: readonly Bar[]): FeatureRow[] {
  let state = createFeatureState()
  return bars.map((bar) => {
    const next = nextFeatures(state, bar)
    state = next.state
    return next.row
  })
}

/**
 * What the pipeline must publish for these series, computed directly by the pure core: the
 * processor's features by `nextFeatures`, the trainer's predictions and last snapshot by the
 * training step `quotecast evaluate` runs (`evaluateSeries` with the default `resolveTrainerOptions()`).
 */
export function expectedOutputs(series: readonly (readonly Bar[])[]): ExpectedOutputs {
  const trainerOptions = resolveTrainerOptions()
  const bars = new Map<string, string[]>()
  const features = new Map<string, string[]>()
  const predictions = new Map<string, string[]>()
  const snapshots = new Map<string, Uint8Array>()
  for (const symbolBars of series) {
    const symbol = symbolBars[0]?.symbol
    if (symbol === undefined) continue
    const rows = featureRowsOfBars(symbolBars)
    const evaluation = evaluateSeries(trainerOptions, rows)
    bars.set(
      symbol,
      symbolBars.map((bar) => JSON.stringify(bar)),
    )
    features.set(
      symbol,
      rows.map((row) => JSON.stringify(row)),
    )
    predictions.set(
      symbol,
      evaluation.predictions.map((prediction) => JSON.stringify(prediction)),
    )
    snapshots.set(symbol, encodeModelSnapshot(evaluation.state))
  }
  return { bars, features, predictions, snapshots }
}
