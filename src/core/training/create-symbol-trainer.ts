import type { FeatureRow } from '../contracts/feature-row.ts'
import type { ModelSnapshot } from '../contracts/model-snapshot.ts'
import type { Prediction } from '../contracts/prediction.ts'
import type { Interval } from '../contracts/primitives.ts'
import type { Result } from '../contracts/result.ts'
import { forecast } from './forecast.ts'
import { trainStep, type TrainStepResult } from './train-step.ts'
import { resolveTrainerOptions, type TrainerOptions, type TrainerOverrides } from './trainer-options.ts'
import { fromSnapshot, toSnapshot } from './trainer-snapshot.ts'
import { createTrainerState, type TrainerState } from './trainer-state.ts'

export interface SymbolTrainer {
  readonly options: TrainerOptions
  /** The state of a symbol before its first row. */
  init(symbol: string, interval: Interval): TrainerState
  /**
   * Scores, learns and forecasts from one feature row, changing `state` in place; with
   * `isScoring` the result also carries the scored forecasts.
   */
  step(state: TrainerState, row: FeatureRow, isScoring?: boolean): TrainStepResult
  /** The served model's forecast of the bar after `row`, without learning from it. */
  forecast(state: TrainerState, row: FeatureRow): Result<Prediction>
  toSnapshot(state: TrainerState): ModelSnapshot
  fromSnapshot(snapshot: ModelSnapshot): Result<TrainerState>
}

/**
 * The per-symbol training step with its options resolved once: what the trainer service and
 * `quotecast evaluate` both run. The functions depend on nothing but their arguments; `step`
 * changes the state it is given, and snapshots share nothing with it.
 */
export function createSymbolTrainer(overrides: TrainerOverrides = {}): SymbolTrainer {
  const options = resolveTrainerOptions(overrides)
  return {
    options,
    init: (symbol, interval) => createTrainerState(options, symbol, interval),
    step: (state, row, isScoring = false) => trainStep(options, state, row, isScoring),
    forecast: (state, row) => forecast(options, state, row),
    toSnapshot,
    fromSnapshot: (snapshot) => fromSnapshot(options, snapshot),
  }
}
