import type { FeatureRow } from '../../../core/contracts/feature-row.ts'
import type { ModelSnapshot } from '../../../core/contracts/model-snapshot.ts'
import type { Prediction } from '../../../core/contracts/prediction.ts'
import { err, ok, type Result } from '../../../core/contracts/result.ts'
import { bandHalfWidths } from '../../../core/model/conformal-band.ts'
import { ewmaSigma } from '../../../core/model/ewma-volatility.ts'
import { buildPrediction } from '../../../core/training/build-prediction.ts'
import { createSymbolTrainer, type SymbolTrainer } from '../../../core/training/create-symbol-trainer.ts'
import type { TrainerState } from '../../../core/training/trainer-state.ts'

/** Predicts the bar after `row` with the model served in `snapshot`; an unusable input is an error value. */
export type PredictWithModel = (snapshot: ModelSnapshot, row: FeatureRow) => Result<Prediction>

/**
 * On-demand prediction with a symbol's current model: the snapshot's state is restored with the
 * trainer core (`fromSnapshot`, cached per snapshot), then the served model forecasts the next log
 * return from the row's features, with the interval from the current EWMA σ and the model's
 * conformal band — what the trainer would publish for that row, without learning from it.
 */
export function createModelPredictor(trainer: SymbolTrainer = createSymbolTrainer()): PredictWithModel {
  const restored = new WeakMap<ModelSnapshot, Result<TrainerState>>()
  const { options } = trainer
  return (snapshot, row) => {
    if (row.symbol !== snapshot.symbol)
      return err(`row is for ${row.symbol}, the model for ${snapshot.symbol}`)
    if (row.interval !== snapshot.interval)
      return err(`row interval ${row.interval} differs from the model's ${snapshot.interval}`)
    let state = restored.get(snapshot)
    if (state === undefined) {
      state = trainer.fromSnapshot(snapshot)
      restored.set(snapshot, state)
    }
    if (!state.ok) return err(`the current model cannot be restored: ${state.error}`)
    const { volatility, served, version, models } = state.value
    if (volatility.count < options.warmupBars)
      return err(`the model is warming up (${volatility.count} of ${options.warmupBars} bars)`)
    const index = models.findIndex((slot) => slot.id === served)
    const slot = models[index]
    const spec = options.models[index]
    if (slot === undefined || spec === undefined) return err(`the served model "${served}" is not available`)
    const missing = spec.features.filter((name) => {
      const value = row.values[name]
      return value === undefined || value === null
    })
    if (missing.length > 0)
      return err(`model "${served}" needs the features ${missing.map((name) => `values.${name}`).join(', ')}`)
    const predictedReturn = spec.predict(slot.state, row.values)
    if (predictedReturn === null || !Number.isFinite(predictedReturn))
      return err(`model "${served}" made no forecast for this row`)
    const sigma = ewmaSigma(volatility, options.sigmaFloor)
    return ok(
      buildPrediction(row, {
        modelId: served,
        version,
        predictedReturn,
        ...bandHalfWidths(slot.band, sigma),
      }),
    )
  }
}
