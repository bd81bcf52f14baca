import type { Interval } from '../contracts/primitives.ts'
import { BAND_LENGTH, initialConformalBand, type ConformalBand } from '../model/conformal-band.ts'
import { EWMA_VARIANCE_MODEL, EWMA_VOLATILITY_LENGTH, type EwmaVolatility } from '../model/ewma-volatility.ts'
import type { ModelSpec } from '../model/model-spec.ts'
import type { VarianceSpec } from '../model/variance-models.ts'
import type { ScoreSums } from '../metrics/score-sums.ts'
import { emptyIntervalSums, RECENT_YEARS, type IntervalSums } from '../metrics/interval-sums.ts'
import { SCORE_SUM_FIELDS } from '../contracts/model-snapshot.ts'
import { HORIZON_STATE_LENGTH, initHorizonState } from './horizon-bands.ts'
import {
  initTimeOfDayProfile,
  TIME_OF_DAY_LENGTH,
  type TimeOfDayProfile,
} from '../model/time-of-day-profile.ts'
import type { TrainerOptions } from './trainer-options.ts'

/** One model's place in a symbol's state; the numbers change in place as rows arrive. */
export interface ModelSlot {
  readonly id: string
  readonly spec: ModelSpec
  /** The model's own numbers (`spec.layout`), changed in place by `spec.update`. */
  readonly state: Float64Array
  /** The model's inputs from the last row, in `spec.features` order; NaN where missing. */
  readonly inputs: Float64Array
  /** Whether every input of the last row is finite: the model may learn from it. */
  hasInputs: boolean
  readonly band: ConformalBand
  readonly scores: ScoreSums
  /** Exponentially weighted mean of |error| − |naive error|, bias-corrected by the scored count. */
  recentLossDiff: number
  /** The log return this model forecast for the next bar, not yet scored; NaN when none. */
  pending: number
}

/** The order of a variance slot's scores: what `VarianceSlot.scores` holds. */
export const VARIANCE_SCORE = {
  /** The variance forecast for the next bar, not yet scored; NaN when none. */
  pending: 0,
  /** Bars scored against EWMA (for EWMA itself: bars scored). */
  n: 1,
  /** Σd and Σd², d = QLIKE(model) − QLIKE(EWMA): the Diebold–Mariano loss differential. */
  sumLossDiff: 2,
  sumLossDiffSq: 3,
  /** Exponentially weighted mean of d, bias-corrected by n. */
  recentLossDiff: 4,
} as const
export const VARIANCE_SCORE_LENGTH = 5

/**
 * The EWMA slot's own numbers (its variance is `volatility`): the σ-tilt, which makes the band's σ
 * σ_band = σ^κ · σ̄^(1−κ) (σ̄ the expanding RMS of returns) and learns κ so that misses do not
 * depend on how high σ stands against σ̄ (see `learnSigmaTilt`).
 */
export const SIGMA_TILT = { kappa: 0, count: 1, sumSq: 2, pendingZ: 3 } as const
const SIGMA_TILT_LENGTH = 4

/** A variance model's place in a symbol's state: EWMA (spec null, its state is the σ-tilt) or a challenger. */
export interface VarianceSlot {
  readonly id: string
  readonly spec: VarianceSpec | null
  readonly scores: Float64Array
  readonly state: Float64Array
}

/**
 * Everything the trainer keeps for one symbol. It is changed in place by the training step, so
 * the hot path allocates nothing; `toSnapshot` gives its plain JSON form. Its arrays are views of
 * one buffer, since each typed array of its own costs some 200 bytes of heap besides its numbers.
 * NaN stands for "none" in the numeric fields.
 */
export interface TrainerState {
  readonly symbol: string
  readonly interval: Interval
  /** The one buffer every array below is a view of, except `intervalSums`. */
  readonly numbers: Float64Array
  /** Rows trained on: the model version. */
  version: number
  /** Start of the last bar trained on; NaN before the first row. */
  lastBarStart: number
  /** NaN before the first row. */
  lastClose: number
  readonly volatility: EwmaVolatility
  /** EWMA first, then the challengers of `options.varianceModels`. */
  readonly variances: readonly VarianceSlot[]
  /** Index in `variances` of the model whose forecast set `pendingSigma`. */
  servedVariance: number
  /** σ the pending forecasts were made with; NaN while volatility is warming up. */
  pendingSigma: number
  /** Index in `models` of the model whose pending forecast was published. */
  served: number
  /** Scores of what was actually published, whichever model it came from. */
  readonly servedScores: ScoreSums
  /** Interval sums of the published band (`interval-sums.ts`), with the most recent `RECENT_YEARS` years. */
  readonly intervalSums: IntervalSums
  /** The 5- and 20-bar forecasts in flight, their bands and scores (`horizon-bands.ts`). */
  readonly horizons: Float64Array
  /** The intraday volatility profile by time of day (`time-of-day-profile.ts`); all NaN for daily bars. */
  readonly timeOfDay: TimeOfDayProfile
  readonly models: readonly ModelSlot[]
}

/** The id of the baseline variance model, the EWMA of `volatility`. */
export const EWMA_VARIANCE_ID = EWMA_VARIANCE_MODEL

/** The numbers of a model slot: inputs, band, scores and the model's state. */
const modelSlotLength = (spec: ModelSpec): number =>
  spec.features.length + BAND_LENGTH + SCORE_SUM_FIELDS.length + spec.layout.length

const varianceSlotLength = (spec: VarianceSpec | null): number =>
  VARIANCE_SCORE_LENGTH + (spec?.size ?? SIGMA_TILT_LENGTH)

/** Hands out consecutive views of one buffer. */
function viewsOf(numbers: Float64Array): (length: number) => Float64Array {
  let at = 0
  return (length) => {
    const view = numbers.subarray(at, at + length)
    at += length
    return view
  }
}

function createModelSlot(spec: ModelSpec, take: (length: number) => Float64Array): ModelSlot {
  const inputs = take(spec.features.length).fill(Number.NaN)
  const band = take(BAND_LENGTH)
  band.set(initialConformalBand())
  const scores = take(SCORE_SUM_FIELDS.length)
  const state = take(spec.layout.length)
  spec.init(state)
  return {
    id: spec.id,
    spec,
    state,
    inputs,
    hasInputs: false,
    band,
    scores,
    recentLossDiff: 0,
    pending: Number.NaN,
  }
}

function createVarianceSlot(spec: VarianceSpec | null, take: (length: number) => Float64Array): VarianceSlot {
  const scores = take(VARIANCE_SCORE_LENGTH)
  scores[VARIANCE_SCORE.pending] = Number.NaN
  const state = take(spec?.size ?? SIGMA_TILT_LENGTH)
  if (spec === null) state[SIGMA_TILT.kappa] = 1
  else spec.init(state)
  return { id: spec?.id ?? EWMA_VARIANCE_ID, spec, scores, state }
}

/** A symbol's state before its first row: every array a view of one buffer, in the order they are made here. */
export function createTrainerState(
  options: TrainerOptions,
  symbolName: string,
  barInterval: Interval,
): TrainerState {
  const varianceSpecs: readonly (VarianceSpec | null)[] = [null, ...options.varianceModels]
  const numbers = new Float64Array(
    SCORE_SUM_FIELDS.length +
      EWMA_VOLATILITY_LENGTH +
      options.models.reduce((sum, spec) => sum + modelSlotLength(spec), 0) +
      varianceSpecs.reduce((sum, spec) => sum + varianceSlotLength(spec), 0) +
      HORIZON_STATE_LENGTH +
      TIME_OF_DAY_LENGTH,
  )
  const take = viewsOf(numbers)
  const servedScores = take(SCORE_SUM_FIELDS.length)
  const volatility = take(EWMA_VOLATILITY_LENGTH)
  const models = options.models.map((spec) => createModelSlot(spec, take))
  const variances = varianceSpecs.map((spec) => createVarianceSlot(spec, take))
  const horizons = take(HORIZON_STATE_LENGTH)
  initHorizonState(horizons)
  const timeOfDay = take(TIME_OF_DAY_LENGTH)
  initTimeOfDayProfile(timeOfDay)
  return {
    symbol: symbolName,
    interval: barInterval,
    numbers,
    version: 0,
    lastBarStart: Number.NaN,
    lastClose: Number.NaN,
    volatility,
    variances,
    servedVariance: 0,
    pendingSigma: Number.NaN,
    served: Math.max(
      0,
      models.findIndex((slot) => slot.id === options.serving.baselineId),
    ),
    servedScores,
    intervalSums: emptyIntervalSums(RECENT_YEARS),
    horizons,
    timeOfDay,
    models,
  }
}
