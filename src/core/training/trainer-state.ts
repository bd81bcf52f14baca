import type { Interval } from '../contracts/primitives.ts'
import { initialConformalBand, type ConformalBand } from '../model/conformal-band.ts'
import { EWMA_VARIANCE_MODEL, initialEwmaVolatility, type EwmaVolatility } from '../model/ewma-volatility.ts'
import type { AnyModelSpec } from '../model/model-spec.ts'
import type { VarianceSpec } from '../model/variance-models.ts'
import type { ScoreSums } from '../metrics/score-sums.ts'
import { emptyIntervalSums, RECENT_YEARS, type IntervalSums } from '../metrics/interval-sums.ts'
import { SCORE_SUM_FIELDS } from '../contracts/model-snapshot.ts'
import type { TrainerOptions } from './trainer-options.ts'

/** One model's place in a symbol's state; the numbers change in place as rows arrive. */
export interface ModelSlot {
  readonly id: string
  readonly spec: AnyModelSpec
  /** The model's own parameters (`spec.stateSchema`), changed in place by `spec.update`. */
  readonly state: unknown
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
 * the hot path allocates nothing; `toSnapshot` gives its plain JSON form. NaN stands for "none"
 * in the numeric fields so they stay unboxed doubles.
 */
export interface TrainerState {
  readonly symbol: string
  readonly interval: Interval
  /** Rows trained on: the model version. */
  version: number
  /** Start of the last bar trained on; NaN before the first row. */
  lastBarStart: number
  /** NaN before the first row. */
  lastClose: number
  readonly volatility: EwmaVolatility
  /** EWMA first, then the challengers of `options.varianceModels`; views of one buffer. */
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
  readonly models: readonly ModelSlot[]
}

const BAND_LENGTH = 4

/** The id of the baseline variance model, the EWMA of `volatility`. */
export const EWMA_VARIANCE_ID = EWMA_VARIANCE_MODEL

/** The numbers of a model slot's arrays: inputs, band and scores. */
const slotLength = (spec: AnyModelSpec): number =>
  spec.features.length + BAND_LENGTH + SCORE_SUM_FIELDS.length

/**
 * A model's slot over `numbers`, which its arrays become views of: the arrays of a symbol share one
 * buffer, since each typed array of its own costs some 200 bytes of heap besides its numbers.
 */
function createModelSlot(spec: AnyModelSpec, numbers: Float64Array, state: unknown): ModelSlot {
  const width = spec.features.length
  const band = numbers.subarray(width, width + BAND_LENGTH)
  band.set(initialConformalBand())
  return {
    id: spec.id,
    spec,
    state,
    inputs: numbers.subarray(0, width).fill(Number.NaN),
    hasInputs: false,
    band,
    scores: numbers.subarray(width + BAND_LENGTH, width + BAND_LENGTH + SCORE_SUM_FIELDS.length),
    recentLossDiff: 0,
    pending: Number.NaN,
  }
}

/**
 * A symbol's state before its first row; `modelStates[i]`, when given, is the state `options.models[i]`
 * starts from instead of `init()`.
 */
export function createTrainerState(
  options: TrainerOptions,
  symbolName: string,
  barInterval: Interval,
  modelStates: readonly unknown[] = [],
): TrainerState {
  const specs = options.models
  const numbers = new Float64Array(
    specs.reduce<number>((sum, spec) => sum + slotLength(spec), SCORE_SUM_FIELDS.length),
  )
  let at = SCORE_SUM_FIELDS.length
  const models = specs.map((spec, index) => {
    const slot = createModelSlot(
      spec,
      numbers.subarray(at, at + slotLength(spec)),
      modelStates[index] ?? spec.init(),
    )
    at += slotLength(spec)
    return slot
  })
  const varianceSpecs: readonly (VarianceSpec | null)[] = [null, ...options.varianceModels]
  const sizeOf = (spec: VarianceSpec | null): number => spec?.size ?? SIGMA_TILT_LENGTH
  const varianceNumbers = new Float64Array(
    varianceSpecs.reduce<number>((sum, spec) => sum + VARIANCE_SCORE_LENGTH + sizeOf(spec), 0),
  )
  let vat = 0
  const variances = varianceSpecs.map((spec): VarianceSlot => {
    const scores = varianceNumbers.subarray(vat, vat + VARIANCE_SCORE_LENGTH)
    scores[VARIANCE_SCORE.pending] = Number.NaN
    vat += VARIANCE_SCORE_LENGTH
    const slotState = varianceNumbers.subarray(vat, vat + sizeOf(spec))
    vat += sizeOf(spec)
    if (spec === null) slotState[SIGMA_TILT.kappa] = 1
    else spec.init(slotState)
    return { id: spec?.id ?? EWMA_VARIANCE_ID, spec, scores, state: slotState }
  })
  return {
    symbol: symbolName,
    interval: barInterval,
    version: 0,
    lastBarStart: Number.NaN,
    lastClose: Number.NaN,
    volatility: initialEwmaVolatility(),
    variances,
    servedVariance: 0,
    pendingSigma: Number.NaN,
    served: Math.max(
      0,
      models.findIndex((slot) => slot.id === options.serving.baselineId),
    ),
    servedScores: numbers.subarray(0, SCORE_SUM_FIELDS.length),
    intervalSums: emptyIntervalSums(RECENT_YEARS),
    models,
  }
}
