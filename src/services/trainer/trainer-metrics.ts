import { Counter, Registry } from 'prom-client'

export interface TrainerMetrics {
  readonly rows: Counter
  readonly predictions: Counter
  readonly deadLettered: Counter
  readonly staleRows: Counter
  /** Model snapshots unreadable on restore: dead-lettered, their symbol started fresh. */
  readonly unreadableSnapshots: Counter
  /**
   * Σ|error| of each model's scored forecasts over all symbols, in log-return units: divided by
   * `naiveAbsError` over a window, the model's MASE on those bars (below 1 beats naive).
   */
  readonly absError: Counter<'model'>
  /** Σ|error| of the naive forecast on the bars each model was scored on. */
  readonly naiveAbsError: Counter<'model'>
  /** Published forecasts scored against the realised return, per interval level (the same count for each). */
  readonly intervalOutcomes: Counter<'level'>
  /** Realised returns inside the published interval, per nominal level: hits / outcomes is the coverage. */
  readonly intervalHits: Counter<'level'>
}

export function createTrainerMetrics(registry: Registry): TrainerMetrics {
  return {
    rows: new Counter({
      name: 'quotecast_trainer_rows_total',
      help: 'Feature rows consumed',
      registers: [registry],
    }),
    predictions: new Counter({
      name: 'quotecast_trainer_predictions_total',
      help: 'Predictions published',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'quotecast_trainer_dead_letters_total',
      help: 'Feature rows sent to dead-letters',
      registers: [registry],
    }),
    staleRows: new Counter({
      name: 'quotecast_trainer_stale_rows_total',
      help: 'Rows at or before the last trained bar, ignored (replays are idempotent)',
      registers: [registry],
    }),
    unreadableSnapshots: new Counter({
      name: 'quotecast_trainer_unreadable_snapshots_total',
      help: 'Model snapshots unreadable on restore: dead-lettered, their symbol started fresh',
      registers: [registry],
    }),
    absError: new Counter({
      name: 'quotecast_model_abs_error_total',
      help: "Sum of |error| (log returns) of each model's scored forecasts, all symbols; over the naive sum it is MASE",
      labelNames: ['model'],
      registers: [registry],
    }),
    naiveAbsError: new Counter({
      name: 'quotecast_model_naive_abs_error_total',
      help: 'Sum of |error| (log returns) of the naive forecast on the bars each model was scored on, all symbols',
      labelNames: ['model'],
      registers: [registry],
    }),
    intervalOutcomes: new Counter({
      name: 'quotecast_interval_outcomes_total',
      help: 'Published forecasts scored against the realised return, all symbols (the same count for each level)',
      labelNames: ['level'],
      registers: [registry],
    }),
    intervalHits: new Counter({
      name: 'quotecast_interval_hits_total',
      help: 'Realised returns inside the published prediction interval, by nominal level, all symbols',
      labelNames: ['level'],
      registers: [registry],
    }),
  }
}
