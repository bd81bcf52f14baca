import type { FeatureRow } from '../../../core/contracts/feature-row.ts'
import type { ModelSnapshot } from '../../../core/contracts/model-snapshot.ts'
import type { Prediction } from '../../../core/contracts/prediction.ts'
import { err, type Result } from '../../../core/contracts/result.ts'
import { forecast } from '../../../core/training/forecast.ts'
import { resolveTrainerOptions, type TrainerOptions } from '../../../core/training/trainer-options.ts'
import { fromSnapshot } from '../../../core/training/trainer-snapshot.ts'
import type { TrainerState } from '../../../core/training/trainer-state.ts'

/** Predicts the bar after `row` with the model served in `snapshot`; an unusable input is an error value. */
export type PredictWithModel = (snapshot: ModelSnapshot, row: FeatureRow) => Result<Prediction>

/**
 * On-demand prediction with a symbol's current model: the snapshot's state is restored with the
 * trainer core (`fromSnapshot`, cached per snapshot), then the core's `forecast` gives what the
 * trainer would publish for that row, without learning from it.
 */
export function createModelPredictor(options: TrainerOptions = resolveTrainerOptions()): PredictWithModel {
  const restored = new WeakMap<ModelSnapshot, Result<TrainerState>>()
  return (snapshot, row) => {
    if (row.symbol !== snapshot.symbol)
      return err(`row is for ${row.symbol}, the model for ${snapshot.symbol}`)
    if (row.interval !== snapshot.interval)
      return err(`row interval ${row.interval} differs from the model's ${snapshot.interval}`)
    let state = restored.get(snapshot)
    if (state === undefined) {
      state = fromSnapshot(options, snapshot)
      restored.set(snapshot, state)
    }
    if (!state.ok) return err(`the current model cannot be restored: ${state.error}`)
    return forecast(options, state.value, row)
  }
}
