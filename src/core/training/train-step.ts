import type { FeatureRow } from '../contracts/feature-row.ts'
import type { Prediction } from '../contracts/prediction.ts'
import { bandHalfWidths, updateConformalBand } from '../model/conformal-band.ts'
import { ewmaSigma, updateEwmaVolatility } from '../model/ewma-volatility.ts'
import { addScore, type ScoreObservation } from '../metrics/score-sums.ts'
import { buildPrediction } from './build-prediction.ts'
import { selectServedModel } from './select-served-model.ts'
import type { TrainerOptions } from './trainer-options.ts'
import type { ModelSlot, TrainerState } from './trainer-state.ts'

/** One model's forecast for the bar just closed, scored now that its return is known. */
export interface ScoredForecast extends ScoreObservation {
  readonly id: string
}

export interface ScoredBar {
  readonly barStart: number
  /** Realised log return of this bar against the previous close. */
  readonly actual: number
  /** The model whose forecast was published for this bar. */
  readonly served: string
  readonly forecasts: readonly ScoredForecast[]
}

export interface TrainStepResult {
  readonly state: TrainerState
  /** The served model's forecast of the next bar; null while volatility is warming up and for stale rows. */
  readonly prediction: Prediction | null
  /** The forecasts made at the previous bar, scored; null when there were none or the row is not learnable. */
  readonly scored: ScoredBar | null
  /** The row was at or before the last trained bar and was ignored: replays are idempotent. */
  readonly isStale: boolean
}

/** Bias-corrected exponentially weighted mean after the `count`-th value: exact from the first. */
const updateRecentLossDiff = (mean: number, value: number, count: number, decay: number): number =>
  mean + ((value - mean) * (1 - decay)) / (1 - decay ** count) + 0

const inputsOf = (options: TrainerOptions, row: FeatureRow): Record<string, number | null> => {
  const inputs: Record<string, number | null> = {}
  for (const spec of options.models) for (const name of spec.features) inputs[name] = row.values[name] ?? null
  return inputs
}

/**
 * Advances one symbol by one feature row, prequentially: scores every model's pending forecast
 * against this bar's realised log return, updates every model with (previous row's inputs, that
 * return), then forecasts the next bar with every model and publishes the served one. The
 * trainer service and `quotecast evaluate` both call exactly this, so they cannot disagree.
 */
export function trainStep(options: TrainerOptions, state: TrainerState, row: FeatureRow): TrainStepResult {
  if (row.symbol !== state.symbol || row.interval !== state.interval) {
    throw new Error(
      `row for ${row.symbol} ${row.interval} given to the state of ${state.symbol} ${state.interval}`,
    )
  }
  if (state.lastBarStart !== null && row.barStart <= state.lastBarStart) {
    return { state, prediction: null, scored: null, isStale: true }
  }
  const actual = state.lastClose === null ? null : Math.log(row.close / state.lastClose)
  const canLearn =
    actual !== null && Number.isFinite(actual) && row.gapBars <= options.maxGapBars[row.interval]
  const sigma = state.pendingSigma
  const forecasts: ScoredForecast[] = []
  let servedScores = state.servedScores
  let models: readonly ModelSlot[] = state.models
  if (canLearn) {
    models = state.models.map((slot, i) => {
      let { band, scores, recentLossDiff } = slot
      if (slot.pending !== null && sigma !== null) {
        const observation = { predicted: slot.pending, actual, ...bandHalfWidths(band, sigma) }
        const absError = Math.abs(actual - slot.pending)
        forecasts.push({ id: slot.id, ...observation })
        scores = addScore(scores, observation)
        recentLossDiff = updateRecentLossDiff(
          recentLossDiff,
          absError - Math.abs(actual),
          scores.n,
          options.recentDecay,
        )
        band = updateConformalBand(band, absError / sigma, options.band)
        if (slot.id === state.served) servedScores = addScore(servedScores, observation)
      }
      const spec = options.models[i]
      const modelState =
        spec === undefined || state.lastInputs === null
          ? slot.state
          : spec.update(slot.state, state.lastInputs, actual)
      return { ...slot, state: modelState, band, scores, recentLossDiff }
    })
  }
  const volatility = canLearn
    ? updateEwmaVolatility(state.volatility, actual, options.volatilityDecay)
    : state.volatility
  const nextSigma = volatility.count >= options.warmupBars ? ewmaSigma(volatility, options.sigmaFloor) : null
  const lastInputs = inputsOf(options, row)
  models = models.map((slot, i) => {
    const forecast = nextSigma === null ? null : (options.models[i]?.predict(slot.state, lastInputs) ?? null)
    return { ...slot, pending: forecast !== null && Number.isFinite(forecast) ? forecast + 0 : null }
  })
  const served = selectServedModel(
    models.map((slot) => ({ ...slot, hasForecast: slot.pending !== null })),
    options.serving,
  )
  const version = state.version + 1
  const servedSlot = models.find((slot) => slot.id === served)
  const prediction =
    nextSigma === null || servedSlot?.pending == null
      ? null
      : buildPrediction(row, {
          modelId: served,
          version,
          predictedReturn: servedSlot.pending,
          ...bandHalfWidths(servedSlot.band, nextSigma),
        })
  return {
    state: {
      ...state,
      version,
      lastBarStart: row.barStart,
      lastClose: row.close,
      lastInputs,
      volatility,
      pendingSigma: nextSigma,
      served,
      servedScores,
      models,
    },
    prediction,
    scored:
      canLearn && forecasts.length > 0
        ? { barStart: row.barStart, actual, served: state.served, forecasts }
        : null,
    isStale: false,
  }
}
