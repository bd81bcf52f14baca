import type { FeatureRow } from '../contracts/feature-row.ts'
import { PREDICTION_SCHEMA_VERSION, type Prediction } from '../contracts/prediction.ts'
import type { ExchangeCalendar } from '../schedule/exchange-calendars.ts'
import { barStartAhead } from '../schedule/bar-starts-ahead.ts'
import type { HorizonForecast } from './horizon-bands.ts'

export interface PredictionInputs {
  readonly modelId: string
  readonly version: number
  readonly predictedReturn: number
  readonly half80: number
  readonly half95: number
  /** The longer horizons' forecasts (`horizon-bands.ts`): log return over the horizon and half-widths. */
  readonly horizons: readonly HorizonForecast[]
}

const bandAround = (close: number, mu: number, half: number) => ({
  lower: close * Math.exp(mu - half),
  upper: close * Math.exp(mu + half),
})

/**
 * The Prediction contract for the bar after `row`. `forBarStart` is that bar's start on the
 * exchange's calendar (`nextBarStart`): for a daily bar the next trading session's date label
 * (a Friday's forecast is for Monday, or Tuesday after a Monday holiday), for an intraday bar the
 * next bar inside a session (after the 15:00 New York one-hour bar, the 15:30 one; after the last,
 * the next session's open). An unscheduled closure the calendar does not know makes the outcome a
 * later bar: the predictor pairs a prediction with the bar after `basedOnBarStart`. `madeAt` is
 * the row's event time (the bar's end), so a replay reproduces the message byte for byte.
 * `horizons` carries the same for the close 5 and 20 bars ahead (`forBarStart` that bar's start):
 * the served model's one-bar forecast then no drift, with the band of the sum of the returns.
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
    forBarStart: barStartAhead(calendar, row.interval, row.barStart, 1),
    basedOnBarStart: row.barStart,
    horizon: 1,
    lastClose: close,
    predictedReturn: mu,
    point: close * Math.exp(mu),
    intervals: {
      p80: bandAround(close, mu, inputs.half80),
      p95: bandAround(close, mu, inputs.half95),
    },
    horizons: inputs.horizons.map((forecast) => ({
      horizon: forecast.horizon,
      forBarStart: barStartAhead(calendar, row.interval, row.barStart, forecast.horizon),
      predictedReturn: forecast.predicted,
      point: close * Math.exp(forecast.predicted),
      intervals: {
        p80: bandAround(close, forecast.predicted, forecast.half80),
        p95: bandAround(close, forecast.predicted, forecast.half95),
      },
    })),
    model: { id: inputs.modelId, version: inputs.version },
    madeAt: row.barEnd,
  }
}
