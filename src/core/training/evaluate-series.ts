import type { FeatureRow } from '../contracts/feature-row.ts'
import type { HorizonScores, IntervalScores } from '../contracts/interval-scores.ts'
import type { ModelScores } from '../contracts/model-snapshot.ts'
import type { Prediction } from '../contracts/prediction.ts'
import { addScore, emptyScoreSums, type ScoreSums } from '../metrics/score-sums.ts'
import { summariseScores } from '../metrics/summarise-scores.ts'
import { addIntervalScore, ALL_YEARS, emptyIntervalSums } from '../metrics/interval-sums.ts'
import { summariseIntervalSums } from '../metrics/summarise-interval-sums.ts'
import {
  addHorizonScore,
  HORIZON_SCORE_LENGTH,
  LONG_HORIZONS,
  summariseHorizonScores,
} from './horizon-bands.ts'
import { trainStep, type ScoredBar } from './train-step.ts'
import type { TrainerOptions } from './trainer-options.ts'
import { createTrainerState, type TrainerState } from './trainer-state.ts'
import { exchangeOfSymbol } from '../providers/exchange-of-symbol.ts'
import { timeOfDaySlotLabel, timeOfDaySlotOf, timeOfDaySlotOrder } from '../schedule/time-of-day-slot.ts'

export interface EvaluationWindow {
  /** Score bars starting at or after this instant (epoch ms); the models still learn from every bar. */
  readonly fromMs?: number
  /** Score bars starting before this instant. */
  readonly toMs?: number
}

export interface ModelEvaluation extends ModelScores {
  readonly model: string
  readonly kind: string
  /** Fraction of the scored bars on which this model's forecast was the one published. */
  readonly servedShare: number
}

/** Coverage of the published band over the scored bars of one slot of the day (`time-of-day-slot.ts`). */
export interface TimeOfDayCoverage {
  /** "open 1" (bars that start at the day's first session open), or the hour of the exchange's clock, "10:00". */
  readonly slot: string
  readonly n: number
  readonly coverage80: number
  readonly coverage95: number
}

export interface SeriesEvaluation {
  readonly symbol: string
  readonly rows: number
  readonly firstScoredBarStart: number | null
  readonly lastScoredBarStart: number | null
  readonly models: readonly ModelEvaluation[]
  /** Scores of the published forecasts, whichever model each came from. */
  readonly servedStream: ModelScores
  /** Scores of the published band on the same bars: interval scores, QLIKE, coverage by σ-fifth and every year. */
  readonly intervals: IntervalScores
  /** Scores of the published 5- and 20-bar intervals whose last bar lies in the window. */
  readonly horizons: readonly HorizonScores[]
  /** Intraday: coverage of the published band by slot of the day, opens first; empty for daily bars. */
  readonly byTimeOfDay: readonly TimeOfDayCoverage[]
  /** The model the trainer would serve for the bar after the last row. */
  readonly served: string
  readonly state: TrainerState
}

export interface SeriesEvaluator {
  /**
   * Trains on the next row (oldest first); answers the prediction published at it and the bar it
   * scored, when that lies inside the window.
   */
  add(row: FeatureRow): { readonly prediction: Prediction | null; readonly scored: ScoredBar | null }
  /** The scores so far. */
  result(): SeriesEvaluation
}

/**
 * Runs the training step prequentially over one symbol's rows, one at a time, and scores every
 * model, and the published stream, over the bars inside `window`. Models learn from every row, so
 * a window's scores are those of a trainer that had been live since the first row. Holds no row,
 * so a series of any length is evaluated in constant memory.
 */
export function createSeriesEvaluator(
  options: TrainerOptions,
  first: FeatureRow,
  window: EvaluationWindow = {},
): SeriesEvaluator {
  const state = createTrainerState(options, first.symbol, first.interval)
  const sums = new Map<string, ScoreSums>(state.models.map((slot) => [slot.id, emptyScoreSums()]))
  const servedCounts = new Map<string, number>()
  const servedSums = emptyScoreSums()
  const intervalSums = emptyIntervalSums(ALL_YEARS)
  const horizonSums = new Float64Array(LONG_HORIZONS.length * HORIZON_SCORE_LENGTH)
  const calendar = first.interval === '1d' ? null : options.calendars[exchangeOfSymbol(first.symbol)]
  /** Per slot of the day: bars, inside the 80 % band, inside the 95 % band. */
  const slotTallies = new Map<number, [number, number, number]>()
  let firstScored: number | null = null
  let lastScored: number | null = null
  let rows = 0
  return {
    add(row) {
      rows += 1
      const { prediction, scored } = trainStep(options, state, row, true)
      if (scored === null) return { prediction, scored: null }
      if (scored.barStart < (window.fromMs ?? -Infinity) || scored.barStart >= (window.toMs ?? Infinity))
        return { prediction, scored: null }
      firstScored ??= scored.barStart
      lastScored = scored.barStart
      for (const { id, predicted, actual, half80, half95 } of scored.forecasts) {
        const modelSums = sums.get(id)
        if (modelSums !== undefined) addScore(modelSums, predicted, actual, half80, half95)
        if (id !== scored.served) continue
        addScore(servedSums, predicted, actual, half80, half95)
        addIntervalScore(intervalSums, scored.barStart, predicted, actual, scored.sigma, half80, half95)
        if (calendar !== null) {
          const slot = timeOfDaySlotOf(calendar, scored.barStart)
          const tally = slotTallies.get(slot) ?? [0, 0, 0]
          const absError = Math.abs(actual - predicted)
          tally[0] += 1
          tally[1] += absError <= half80 ? 1 : 0
          tally[2] += absError <= half95 ? 1 : 0
          slotTallies.set(slot, tally)
        }
      }
      for (const forecast of scored.horizons) {
        const k = LONG_HORIZONS.findIndex((horizon) => horizon === forecast.horizon)
        const absError = Math.abs(forecast.actual - forecast.predicted)
        if (k !== -1)
          addHorizonScore(horizonSums, k * HORIZON_SCORE_LENGTH, absError, forecast.half80, forecast.half95)
      }
      servedCounts.set(scored.served, (servedCounts.get(scored.served) ?? 0) + 1)
      return { prediction, scored }
    },
    result() {
      const servedStream = summariseScores(servedSums)
      return {
        symbol: first.symbol,
        rows,
        firstScoredBarStart: firstScored,
        lastScoredBarStart: lastScored,
        models: state.models.map((slot) => ({
          model: slot.id,
          kind: slot.spec.kind,
          ...summariseScores(sums.get(slot.id) ?? emptyScoreSums()),
          servedShare: servedStream.n > 0 ? (servedCounts.get(slot.id) ?? 0) / servedStream.n : 0,
        })),
        servedStream,
        intervals: summariseIntervalSums(intervalSums),
        horizons: LONG_HORIZONS.map((horizon, k) =>
          summariseHorizonScores(horizonSums, k * HORIZON_SCORE_LENGTH, horizon),
        ),
        byTimeOfDay: [...slotTallies]
          .sort(([a], [b]) => timeOfDaySlotOrder(a) - timeOfDaySlotOrder(b))
          .map(([slot, [n, in80, in95]]) => ({
            slot: timeOfDaySlotLabel(slot),
            n,
            coverage80: in80 / n,
            coverage95: in95 / n,
          })),
        served: state.models[state.served]?.id ?? '',
        state,
      }
    },
  }
}

/** `createSeriesEvaluator` over all of `rows` (oldest first), with every prediction published on the way. */
export function evaluateSeries(
  options: TrainerOptions,
  rows: readonly FeatureRow[],
  window: EvaluationWindow = {},
): SeriesEvaluation & { readonly predictions: readonly Prediction[] } {
  const first = rows[0]
  if (first === undefined) throw new Error('evaluateSeries needs at least one row')
  const evaluator = createSeriesEvaluator(options, first, window)
  const predictions: Prediction[] = []
  for (const row of rows) {
    const { prediction } = evaluator.add(row)
    if (prediction !== null) predictions.push(prediction)
  }
  return { ...evaluator.result(), predictions }
}
