import { z } from 'zod'
import { epochMs, finite, interval, positivePrice, symbol, type Interval } from '../contracts/primitives.ts'
import { conformalBandSchema, initialConformalBand, type ConformalBand } from '../model/conformal-band.ts'
import { ewmaVolatilitySchema, initialEwmaVolatility } from '../model/ewma-volatility.ts'
import { emptyScoreSums, scoreSumsSchema, type ScoreSums } from '../metrics/score-sums.ts'
import type { TrainerOptions } from './trainer-options.ts'

export const TRAINER_STATE_VERSION = 1

const modelSlotSchema = z
  .object({
    id: z.string().min(1).max(64),
    kind: z.string().min(1).max(64),
    version: z.number().int().positive(),
    state: z.unknown(),
    band: conformalBandSchema,
    scores: scoreSumsSchema,
    /** Exponentially weighted mean of |error| − |naive error|, bias-corrected by the scored count. */
    recentLossDiff: z.number(),
    /** The log return this model predicted for the next bar, not yet scored. */
    pending: finite.nullable(),
  })
  .strict()

export interface ModelSlot {
  readonly id: string
  readonly kind: string
  readonly version: number
  readonly state: unknown
  readonly band: ConformalBand
  readonly scores: ScoreSums
  readonly recentLossDiff: number
  readonly pending: number | null
}

export const trainerStateSchema = z
  .object({
    schema: z.literal(TRAINER_STATE_VERSION),
    symbol,
    interval,
    /** Rows trained on: the model version. */
    version: z.number().int().nonnegative(),
    lastBarStart: epochMs.nullable(),
    lastClose: positivePrice.nullable(),
    /** The model inputs of the last row: what the next realised return is learned against. */
    lastInputs: z.record(z.string(), finite.nullable()).nullable(),
    volatility: ewmaVolatilitySchema,
    /** σ the pending predictions were made with. */
    pendingSigma: finite.nullable(),
    /** The model whose pending prediction was published. */
    served: z.string().min(1).max(64),
    /** Scores of what was actually published, whichever model it came from. */
    servedScores: scoreSumsSchema,
    models: z.array(modelSlotSchema).min(1),
  })
  .strict()

/** Everything the trainer keeps for one symbol: plain JSON data. */
export type TrainerState = Omit<z.infer<typeof trainerStateSchema>, 'models'> & {
  readonly models: readonly ModelSlot[]
}

export function createModelSlot(options: TrainerOptions, index: number): ModelSlot {
  const spec = options.models[index]
  if (spec === undefined) throw new Error(`no model at index ${index}`)
  return {
    id: spec.id,
    kind: spec.kind,
    version: spec.version,
    state: spec.init(),
    band: initialConformalBand,
    scores: emptyScoreSums,
    recentLossDiff: 0,
    pending: null,
  }
}

/** A symbol's state before its first row. */
export function createTrainerState(
  options: TrainerOptions,
  symbolName: string,
  barInterval: Interval,
): TrainerState {
  return {
    schema: TRAINER_STATE_VERSION,
    symbol: symbolName,
    interval: barInterval,
    version: 0,
    lastBarStart: null,
    lastClose: null,
    lastInputs: null,
    volatility: initialEwmaVolatility,
    pendingSigma: null,
    served: options.serving.baselineId,
    servedScores: emptyScoreSums,
    models: options.models.map((_, index) => createModelSlot(options, index)),
  }
}
