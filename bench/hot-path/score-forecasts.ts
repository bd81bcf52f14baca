import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { dieboldMariano } from '../../src/core/metrics/diebold-mariano.ts'
import { trainStep } from '../../src/core/training/train-step.ts'
import type { TrainerOptions } from '../../src/core/training/trainer-options.ts'
import { createTrainerState } from '../../src/core/training/trainer-state.ts'
import type { RiverForecast } from './run-river.ts'

/** A forecast of returns[t] with its intervals, in log-return units. */
export interface IntervalForecast {
  readonly point: number
  readonly lo80: number
  readonly hi80: number
  readonly lo95: number
  readonly hi95: number
}

export interface ForecastScores {
  readonly n: number
  /** MAE of the log return over the naive forecast's (0) MAE on the same bars. */
  readonly maeToNaive: number
  readonly coverage80: number
  readonly coverage95: number
  readonly width80: number
  readonly width95: number
  /**
   * Diebold–Mariano statistic of |error| against naive's on the same bars (negative: lower loss);
   * quotecast serves a model only at −2.326 or below. Null where it is undefined.
   */
  readonly dm: number | null
}

export interface QuotecastForecasts {
  /** By model id, and `served` for what was published. */
  readonly byModel: ReadonlyMap<string, readonly (IntervalForecast | null)[]>
  /** The id of the model whose forecast was published for each bar (null where none scored). */
  readonly servedIds: readonly (string | null)[]
}

/**
 * quotecast's forecasts of every bar's return, by model and as published: index t holds what was
 * made after bar t-1 for bar t, null where there was none or the bar did not score.
 */
export function quotecastForecasts(
  trainerOptions: TrainerOptions,
  rows: readonly FeatureRow[],
): QuotecastForecasts {
  const ids = ['served', ...trainerOptions.models.map((model) => model.id)]
  const byModel = new Map<string, (IntervalForecast | null)[]>(ids.map((id) => [id, rows.map(() => null)]))
  const servedIds: (string | null)[] = rows.map(() => null)
  const first = rows[0]
  if (first === undefined) return { byModel, servedIds }
  let state = createTrainerState(trainerOptions, first.symbol, first.interval)
  rows.forEach((row, t) => {
    const step = trainStep(trainerOptions, state, row, true)
    state = step.state
    for (const forecast of step.scored?.forecasts ?? []) {
      const { predicted: point, half80, half95 } = forecast
      const interval = {
        point,
        lo80: point - half80,
        hi80: point + half80,
        lo95: point - half95,
        hi95: point + half95,
      }
      byModel.get(forecast.id)![t] = interval
      if (forecast.id === step.scored?.served) {
        byModel.get('served')![t] = interval
        servedIds[t] = forecast.id
      }
    }
  })
  return { byModel, servedIds }
}

export const fromRiver = (forecast: RiverForecast): IntervalForecast | null =>
  forecast === null
    ? null
    : { point: forecast[0], lo80: forecast[1], hi80: forecast[2], lo95: forecast[3], hi95: forecast[4] }

/** Scores forecasts of `returns` over the bars where `isScored` holds. */
export function scoreForecasts(
  forecasts: readonly (IntervalForecast | null)[],
  returns: readonly (number | null)[],
  isScored: (t: number) => boolean,
): ForecastScores {
  let n = 0
  let absError = 0
  let naiveAbsError = 0
  let hits80 = 0
  let hits95 = 0
  let width80 = 0
  let width95 = 0
  let sumLossDiff = 0
  let sumLossDiffSq = 0
  forecasts.forEach((forecast, t) => {
    const actual = returns[t]
    if (forecast === null || actual === null || actual === undefined || !isScored(t)) return
    n++
    const lossDiff = Math.abs(actual - forecast.point) - Math.abs(actual)
    absError += Math.abs(actual - forecast.point)
    naiveAbsError += Math.abs(actual)
    sumLossDiff += lossDiff
    sumLossDiffSq += lossDiff * lossDiff
    if (actual >= forecast.lo80 && actual <= forecast.hi80) hits80++
    if (actual >= forecast.lo95 && actual <= forecast.hi95) hits95++
    width80 += forecast.hi80 - forecast.lo80
    width95 += forecast.hi95 - forecast.lo95
  })
  return {
    n,
    maeToNaive: absError / naiveAbsError,
    coverage80: hits80 / n,
    coverage95: hits95 / n,
    width80: width80 / n,
    width95: width95 / n,
    dm: dieboldMariano(n, sumLossDiff, sumLossDiffSq),
  }
}

/** How far the coverages are from 80 % and 95 %: the calibration error that is compared. */
export const calibrationError = (scores: ForecastScores): number =>
  Math.abs(scores.coverage80 - 0.8) + Math.abs(scores.coverage95 - 0.95)
