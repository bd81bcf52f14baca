import type { FeatureRow } from '../contracts/feature-row.ts'
import type { Prediction } from '../contracts/prediction.ts'
import { halfWidth80, halfWidth95, updateConformalBand } from '../model/conformal-band.ts'
import { oneMinusDecayPower } from '../model/decay-power.ts'
import { EWMA_VARIANCE_MODEL, updateEwmaVolatility } from '../model/ewma-volatility.ts'
import { rangeVarianceOf } from '../model/variance-models.ts'
import { readInputs } from '../model/model-spec.ts'
import { addScore, SCORE, type ScoreObservation } from '../metrics/score-sums.ts'
import { addIntervalScore } from '../metrics/interval-sums.ts'
import { isUsableForecast, predictionOf } from './forecast.ts'
import {
  clearHorizonForecasts,
  horizonForecastsOf,
  recordHorizonForecasts,
  scoreHorizons,
  type HorizonForecast,
  type ScoredHorizonForecast,
} from './horizon-bands.ts'
import { selectServedModel } from './select-served-model.ts'
import type { TrainerOptions } from './trainer-options.ts'
import type { TrainerState } from './trainer-state.ts'
import {
  addToSigmaTilt,
  forecastVariances,
  learnSigmaTilt,
  scoreVariances,
  servedSigmaAhead,
  updateVariances,
} from './variance-step.ts'
import { withoutNegativeZero } from '../model/without-negative-zero.ts'
import { learnTimeOfDayProfile } from '../model/time-of-day-profile.ts'
import { scaleAhead, scaleAt, slotOf, timeOfDayContextOf } from './time-of-day-scale.ts'
import { isOneBarReturn } from './is-one-bar-return.ts'

/** One model's forecast for the bar just closed, scored now that its return is known. */
export interface ScoredForecast extends ScoreObservation {
  readonly id: string
}

/** A longer horizon's published forecast ending at this bar, scored, with the ids that made it. */
export interface ScoredHorizonBar extends Omit<ScoredHorizonForecast, 'model' | 'varianceModel'> {
  readonly served: string
  readonly varianceModel: string
}

export interface ScoredBar {
  readonly barStart: number
  /** Realised log return of this bar against the previous close. */
  readonly actual: number
  /** The model whose forecast was published for this bar. */
  readonly served: string
  /** σ of one-bar log returns the bands of these forecasts were drawn with. */
  readonly sigma: number
  /** The variance model that made `sigma`. */
  readonly varianceModel: string
  readonly forecasts: readonly ScoredForecast[]
  /** The published 5- and 20-bar forecasts whose last bar this is, scored (`horizon-bands.ts`). */
  readonly horizons: readonly ScoredHorizonBar[]
}

export interface TrainStepResult {
  /** The state passed in, changed in place (unchanged for a stale row). */
  readonly state: TrainerState
  /** The served model's forecast of the next bar; null while volatility is warming up and for stale rows. */
  readonly prediction: Prediction | null
  /**
   * The forecasts made at the previous bar, scored; null when there were none, the row is not
   * learnable, or the step was not asked for them (`isScoring`).
   */
  readonly scored: ScoredBar | null
  /** The row was at or before the last trained bar and was ignored: replays are idempotent. */
  readonly isStale: boolean
}

/** Bias-corrected exponentially weighted mean after the `count`-th value: exact from the first. */
const updateRecentLossDiff = (mean: number, value: number, count: number, decay: number): number =>
  withoutNegativeZero(mean + ((value - mean) * (1 - decay)) / oneMinusDecayPower(decay, count))

/**
 * Advances one symbol by one feature row, prequentially and in place: scores every model's pending
 * forecast against this bar's realised log return, updates every model with (previous row's
 * inputs, that return), then forecasts the next bar with every model and publishes the served one.
 * The trainer service and `quotecast evaluate` both call exactly this, so they cannot disagree.
 * Only the prediction is allocated, with `isScoring` the scored forecasts, and for an intraday row
 * the three fields of its time-of-day context.
 */
export function trainStep(
  options: TrainerOptions,
  state: TrainerState,
  row: FeatureRow,
  isScoring = false,
): TrainStepResult {
  if (row.symbol !== state.symbol || row.interval !== state.interval) {
    throw new Error(
      `row for ${row.symbol} ${row.interval} given to the state of ${state.symbol} ${state.interval}`,
    )
  }
  if (row.barStart <= state.lastBarStart) return { state, prediction: null, scored: null, isStale: true }
  // NaN before the first row, which then neither scores nor learns.
  const actual = Math.log(row.close / state.lastClose)
  const logClose = Math.log(row.close)
  const canLearn = Number.isFinite(actual) && isOneBarReturn(options, row, state.lastBarStart)
  const sigma = state.pendingSigma
  const previousServed = state.served
  const previousServedVariance = state.servedVariance
  const { models } = state
  const forecasts: ScoredForecast[] | null = isScoring && canLearn ? [] : null
  const scoredHorizons: ScoredHorizonForecast[] | null = forecasts === null ? null : []
  for (let i = 0; i < models.length; i++) {
    const slot = models[i]
    if (slot === undefined) continue
    if (canLearn) {
      const pending = slot.pending
      if (!Number.isNaN(pending) && !Number.isNaN(sigma)) {
        const half80 = halfWidth80(slot.band, sigma)
        const half95 = halfWidth95(slot.band, sigma)
        const absError = Math.abs(actual - pending)
        forecasts?.push({ id: slot.id, predicted: pending, actual, half80, half95 })
        addScore(slot.scores, pending, actual, half80, half95)
        slot.recentLossDiff = updateRecentLossDiff(
          slot.recentLossDiff,
          absError - Math.abs(actual),
          slot.scores[SCORE.n] ?? 0,
          options.recentDecay,
        )
        updateConformalBand(slot.band, absError / sigma, options.band)
        if (i === previousServed) {
          addScore(state.servedScores, pending, actual, half80, half95)
          addIntervalScore(state.intervalSums, row.barStart, pending, actual, sigma, half80, half95)
          learnSigmaTilt(options, state, absError, half80, half95)
        }
      }
      if (slot.hasInputs) slot.spec.update(slot.state, slot.inputs, actual)
    }
    slot.hasInputs = readInputs(row.values, slot.spec.features, slot.inputs)
  }
  // Intraday, the variance models see each return divided by its slot's scale (deseasonalised),
  // and the band's σ is theirs times the next bar's scale.
  const timeOfDay = timeOfDayContextOf(options, state.timeOfDay, row)
  if (canLearn) {
    const scale = scaleAt(timeOfDay, row.barStart)
    const deseasonalised = actual / scale
    if (timeOfDay !== null && !Number.isNaN(sigma)) {
      const absZ = (Math.abs(actual) * scale) / sigma
      learnTimeOfDayProfile(state.timeOfDay, slotOf(timeOfDay, row.barStart), absZ, options.timeOfDayDecay)
    }
    scoreVariances(options, state, deseasonalised)
    addToSigmaTilt(state, deseasonalised)
    const rangeVariance = rangeVarianceOf(state.lastClose, row.open, row.high, row.low, row.close)
    updateVariances(state, deseasonalised, rangeVariance / (scale * scale))
    updateEwmaVolatility(state.volatility, deseasonalised, options.volatilityDecay)
    scoreHorizons(state.horizons, logClose, options.band, scoredHorizons)
  } else {
    clearHorizonForecasts(state.horizons)
  }
  const deseasonalisedSigma = forecastVariances(options, state)
  const nextSigma = Math.max(options.sigmaFloor, deseasonalisedSigma * scaleAhead(timeOfDay, row.barStart, 1))
  for (const slot of models) {
    const forecast =
      Number.isNaN(nextSigma) || !slot.hasInputs ? Number.NaN : slot.spec.predict(slot.state, slot.inputs)
    slot.pending = isUsableForecast(forecast) ? withoutNegativeZero(forecast) : Number.NaN
  }
  state.served = selectServedModel(models, options.serving)
  state.version += 1
  state.lastBarStart = row.barStart
  state.lastClose = row.close
  state.pendingSigma = nextSigma
  const servedSlot = models[state.served]
  const servedForecast = servedSlot?.pending ?? Number.NaN
  const horizons: readonly HorizonForecast[] = horizonForecastsOf(
    state.horizons,
    servedForecast,
    (h) => servedSigmaAhead(state, deseasonalisedSigma, h) * scaleAhead(timeOfDay, row.barStart, h),
  )
  recordHorizonForecasts(state.horizons, logClose, horizons, state.served, state.servedVariance)
  const prediction =
    servedSlot === undefined || Number.isNaN(servedForecast)
      ? null
      : predictionOf(options, state, row, servedSlot, servedForecast, nextSigma, horizons)
  const scored =
    forecasts !== null && forecasts.length > 0
      ? {
          barStart: row.barStart,
          actual,
          served: models[previousServed]?.id ?? '',
          sigma,
          varianceModel: state.variances[previousServedVariance]?.id ?? EWMA_VARIANCE_MODEL,
          forecasts,
          horizons: (scoredHorizons ?? []).map(({ model, varianceModel, ...forecast }) => ({
            ...forecast,
            served: models[model]?.id ?? '',
            varianceModel: state.variances[varianceModel]?.id ?? EWMA_VARIANCE_MODEL,
          })),
        }
      : null
  return { state, prediction, scored, isStale: false }
}
