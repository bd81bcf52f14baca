import type { FeatureRow } from '../contracts/feature-row.ts'
import { PREDICTION_SCHEMA_VERSION, type Prediction } from '../contracts/prediction.ts'
import type { ExchangeCalendar } from '../schedule/exchange-calendars.ts'
import { nextBarStart } from '../schedule/next-bar-start.ts'

export interface PredictionInputs {
  readonly modelId: string
  readonly version: number
  readonly predictedReturn: number
  readonly half80: number
  readonly half95: number
}

/**
 * The Prediction contract for the bar after `row`. `forBarStart` is that bar's start on the
 * exchange's calendar (`nextBarStart`): for a daily bar the next trading session's date label
 * (a Friday's forecast is for Monday, or Tuesday after a Monday holiday), for an intraday bar the
 * next bar inside a session (after the 15:00 New York one-hour bar, the 15:30 one; after the last,
 * the next session's open). An unscheduled closure the calendar does not know makes the outcome a
 * later bar: the predictor pairs a prediction with the bar after `basedOnBarStart`. `madeAt` is
 * the row's event time (the bar's end), so a replay reproduces the message byte for byte.
 */
export function buildPrediction(
  row: FeatureRow,
  inputs: PredictionInputs,
  calendar: ExchangeCalendar,
): Prediction {
  const { close } = row
  const mu = inputs.predictedReturn
  return {
    schema: PREDICTION_SCHEMA_VERSION,
    symbol: row.symbol,
    interval: row.interval,
    forBarStart: nextBarStart(calendar, row.interval, row.barStart),
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
