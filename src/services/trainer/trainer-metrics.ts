import { Counter, Gauge, Registry } from 'prom-client'

export interface TrainerMetrics {
  readonly rows: Counter
  readonly predictions: Counter
  readonly deadLettered: Counter
  readonly staleRows: Counter
  /** Each model's prequential MASE against the naive forecast, per symbol. */
  readonly errorRatioVsNaive: Gauge<'symbol' | 'model'>
  /** The served model's interval coverage so far, per symbol and nominal level. */
  readonly intervalCoverage: Gauge<'symbol' | 'level'>
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
    errorRatioVsNaive: new Gauge({
      name: 'quotecast_model_error_ratio_vs_naive',
      help: "Prequential MAE relative to the naive forecast's (MASE); below 1 beats naive",
      labelNames: ['symbol', 'model'],
      registers: [registry],
    }),
    intervalCoverage: new Gauge({
      name: 'quotecast_interval_coverage_ratio',
      help: "Fraction of outcomes inside the served model's prediction interval, by nominal level",
      labelNames: ['symbol', 'level'],
      registers: [registry],
    }),
  }
}
