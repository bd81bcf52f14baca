import type { FeatureRow } from '../contracts/feature-row.ts'
import type { Prediction } from '../contracts/prediction.ts'
import { MAX_LOG_RETURN } from '../contracts/primitives.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { halfWidth80, halfWidth95 } from '../model/conformal-band.ts'
import { EWMA_VOLATILITY } from '../model/ewma-volatility.ts'
import { readInputs } from '../model/model-spec.ts'
import { exchangeOfSymbol } from '../providers/exchange-of-symbol.ts'
import { buildPrediction } from './build-prediction.ts'
import type { TrainerOptions } from './trainer-options.ts'
import type { ModelSlot, TrainerState } from './trainer-state.ts'
import { horizonForecastsOf, type HorizonForecast } from './horizon-bands.ts'
import { servedSigma, servedSigmaAhead } from './variance-step.ts'
import { withoutNegativeZero } from '../model/without-negative-zero.ts'
import { scaleAhead, timeOfDayContextOf } from './time-of-day-scale.ts'

/**
 * σ of the intervals from the served variance model's pending forecast, before the intraday
 * time-of-day profile scales it to the bar's time of day; NaN while warming up.
 */
export const currentSigma = (options: TrainerOptions, state: TrainerState): number =>
  servedSigma(options, state)

/**
 * Whether a model's forecast may be published: a log return that two valid prices can have. Beyond
 * ±MAX_LOG_RETURN (or NaN) it is no forecast, so a prediction's point and bands, close × exp(ŷ ± h)
 * with h ≤ 10, stay finite and positive whatever a model's state holds.
 */
export const isUsableForecast = (logReturn: number): boolean => Math.abs(logReturn) <= MAX_LOG_RETURN

/**
 * The Prediction of `slot`'s forecast for the bar after `row`, with its band at σ, dated on the
 * calendar of the symbol's exchange.
 */
export function predictionOf(
  options: TrainerOptions,
  state: TrainerState,
  row: FeatureRow,
  slot: ModelSlot,
  predictedReturn: number,
  sigma: number,
  horizons: readonly HorizonForecast[],
): Prediction {
  return buildPrediction(
    row,
    {
      modelId: slot.id,
      version: state.version,
      predictedReturn,
      half80: halfWidth80(slot.band, sigma),
      half95: halfWidth95(slot.band, sigma),
      horizons,
    },
    options.calendars[exchangeOfSymbol(row.symbol)],
  )
}

/**
 * The served model's forecast of the bar after `row`, from the state as it stands and without
 * learning from the row: what the training step publishes when it reaches that row. Neither the
 * state nor the row is changed. An unusable row or a warming model is an error value.
 */
export function forecast(options: TrainerOptions, state: TrainerState, row: FeatureRow): Result<Prediction> {
  const deseasonalisedSigma = currentSigma(options, state)
  if (Number.isNaN(deseasonalisedSigma)) {
    const seen = state.volatility[EWMA_VOLATILITY.count]!
    return err(`the model is warming up (${seen} of ${options.warmupBars} bars)`)
  }
  const slot = state.models[state.served]
  if (slot === undefined) return err('no model is served')
  const { features } = slot.spec
  const missing = features.filter((name) => row.values[name] === undefined || row.values[name] === null)
  if (missing.length > 0) {
    return err(`model "${slot.id}" needs the features ${missing.map((name) => `values.${name}`).join(', ')}`)
  }
  const inputs = new Float64Array(features.length)
  const predicted = readInputs(row.values, features, inputs)
    ? slot.spec.predict(slot.state, inputs)
    : Number.NaN
  if (!isUsableForecast(predicted)) return err(`model "${slot.id}" made no forecast for this row`)
  const forecastReturn = withoutNegativeZero(predicted)
  const timeOfDay = timeOfDayContextOf(options, state.timeOfDay, row)
  const sigma = Math.max(options.sigmaFloor, deseasonalisedSigma * scaleAhead(timeOfDay, row.barStart, 1))
  const horizons = horizonForecastsOf(
    state.horizons,
    forecastReturn,
    (h) => servedSigmaAhead(state, deseasonalisedSigma, h) * scaleAhead(timeOfDay, row.barStart, h),
  )
  return ok(predictionOf(options, state, row, slot, forecastReturn, sigma, horizons))
}
