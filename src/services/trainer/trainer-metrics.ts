import { Counter, Registry } from 'prom-client'

export interface TrainerMetrics {
  readonly rows: Counter
  readonly predictions: Counter
  readonly deadLettered: Counter
  readonly staleRows: Counter
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
  }
}
