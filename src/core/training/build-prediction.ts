import type { FeatureRow } from '../contracts/feature-row.ts'
import { PREDICTION_SCHEMA_VERSION, type Prediction } from '../contracts/prediction.ts'

export interface PredictionInputs {
  readonly modelId: string
  readonly version: number
  readonly predictedReturn: number
  readonly half80: number
  readonly half95: number
}

/**
 * The Prediction contract for the bar after `row`. The next bar's exact start is unknown for
 * daily bars (weekends, holidays), so `forBarStart` is the earliest it can be: this bar's end;
 * the outcome is the first bar that starts at or after it. `madeAt` is the row's event time, so a
 * replay reproduces the message byte for byte.
 */
export function buildPrediction(row: FeatureRow, inputs: PredictionInputs): Prediction {
  const { close } = row
  const mu = inputs.predictedReturn
  return {
    schema: PREDICTION_SCHEMA_VERSION,
    symbol: row.symbol,
    interval: row.interval,
    forBarStart: row.barEnd,
    basedOnBarStart: row.barStart,
    horizon: 1,
    lastClose: close,
    predictedReturn: mu,
    point: close * Math.exp(mu),
    intervals: {
      p80: { lower: close * Math.exp(mu - inputs.half80), upper: close * Math.exp(mu + inputs.half80) },
      p95: { lower: close * Math.exp(mu - inputs.half95), upper: close * Math.exp(mu + inputs.half95) },
    },
    model: { id: inputs.modelId, version: inputs.version },
    madeAt: row.barEnd,
  }
}
