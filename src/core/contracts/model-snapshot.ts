import { z } from 'zod'
import { epochMs, finite, interval, logReturn, positivePrice, symbol } from './primitives.ts'

export const MODEL_SNAPSHOT_SCHEMA_VERSION = 2

/** Scores for readers, derived from a model's score sums (they are not stored in the snapshot). */
export const modelScoresSchema = z
  .object({
    n: z.number().int().nonnegative(),
    mae: finite.nullable(),
    rmse: finite.nullable(),
    mase: finite.nullable(),
    direction: finite.nullable(),
    directionCi: z.tuple([finite, finite]).nullable(),
    coverage80: finite.nullable(),
    coverage95: finite.nullable(),
    width80: finite.nullable(),
    width95: finite.nullable(),
    dm: finite.nullable(),
  })
  .strict()

export type ModelScores = z.infer<typeof modelScoresSchema>

const count = z.number().int().nonnegative()
const sum = z.number().nonnegative()

/** The order of the running sums in `scoreSumsSchema`. */
export const SCORE_SUM_FIELDS = [
  'n',
  'sumAbsError',
  'sumSqError',
  'sumNaiveAbsError',
  'sumLossDiff',
  'sumLossDiffSq',
  'directionN',
  'directionHits',
  'hits80',
  'hits95',
  'sumWidth80',
  'sumWidth95',
] as const

/**
 * Running sums of a prequential score, in `SCORE_SUM_FIELDS` order: scored bars, Σ|e|, Σe², Σ|naive
 * e|, Σd and Σd² (d = |e| − |naive e|, the Diebold–Mariano loss differential), direction calls and
 * hits, 80 % and 95 % interval hits, Σ80 % and Σ95 % widths (log-return units).
 */
export const scoreSumsSchema = z.tuple([
  count,
  sum,
  sum,
  sum,
  z.number(),
  sum,
  count,
  count,
  count,
  count,
  sum,
  sum,
])

/**
 * Everything the trainer keeps for one symbol, and so all it needs to resume: the state of every
 * model (naive included), its interval band, its running scores and pending forecast, and which
 * model is served. Compacted by symbol on the models topic. Scores for readers are derived from the
 * sums (`summariseScores`); fixed-size vectors are arrays to keep the message small.
 */
export const modelSnapshotSchema = z
  .object({
    schema: z.literal(MODEL_SNAPSHOT_SCHEMA_VERSION),
    symbol,
    interval,
    /** Rows trained on: a monotonically increasing model version. */
    version: z.number().int().nonnegative(),
    /** Start of the last bar trained on. */
    trainedThrough: epochMs,
    /** The model whose pending forecast was published. */
    served: z.string().min(1).max(64),
    lastClose: positivePrice,
    /** The model inputs of the last row, by feature name: what the next return is learned against. */
    lastInputs: z.record(z.string().min(1).max(64), finite.nullable()),
    /** EWMA volatility of log returns: [variance, weight, count]. */
    volatility: z.tuple([z.number().nonnegative(), z.number().nonnegative(), count]),
    /** σ the pending forecasts were made with; null while volatility is warming up. */
    pendingSigma: finite.nullable(),
    /** Score sums of what was actually published, whichever model it came from. */
    servedScoreSums: scoreSumsSchema,
    /**
     * The variance models (EWMA, then its challengers) and the one that set `pendingSigma`; each
     * model's numbers are its scores (pending, n, Σd, Σd², recent d; null for no pending)
     * then its state. Absent in snapshots of older releases, which then start the challengers afresh.
     */
    variance: z
      .object({
        served: z.string().min(1).max(64),
        models: z
          .array(
            z
              .object({
                id: z.string().min(1).max(64),
                version: z.number().int().positive(),
                numbers: z.array(z.number().nullable()).max(256),
              })
              .strict(),
          )
          .min(1)
          .max(64),
      })
      .strict()
      .optional(),
    /**
     * Interval sums of the published band (`src/core/metrics/interval-sums.ts`: n, Σ Winkler 80 and
     * 95 %, Σ QLIKE, the P² markers of σ, per σ-fifth bars and hits, then per recent year the year,
     * bars and hits; null for none), kept compact as one array. Absent in snapshots of older
     * releases, whose interval scores then start afresh.
     */
    intervals: z.array(z.number().nullable()).max(256).optional(),
    /** The 5- and 20-bar forecasts in flight, their bands and scores (`horizon-bands.ts`); absent before them. */
    horizons: z.array(z.number().nullable()).max(512).optional(),
    /**
     * The intraday time-of-day profile (`src/core/model/time-of-day-profile.ts`): per local hour the
     * mean |r|/σ̃, null for an hour not seen; absent before it, when it starts afresh.
     */
    timeOfDay: z.array(z.number().nullable()).max(64).optional(),
    models: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            kind: z.string().min(1).max(64),
            version: z.number().int().positive(),
            /** The model's own parameters, checked against the model's schema when restored. */
            state: z.record(z.string(), z.unknown()),
            /** Conformal band per level: [q80, α80, q95, α95] (q in units of σ, α the working miss rate). */
            band: z.tuple([
              z.number().positive(),
              z.number().min(0).max(1),
              z.number().positive(),
              z.number().min(0).max(1),
            ]),
            scoreSums: scoreSumsSchema,
            /** Exponentially weighted mean of |error| − |naive error|, bias-corrected by the scored count. */
            recentLossDiff: finite,
            /** The log return this model forecast for the next bar, not yet scored. */
            pending: logReturn.nullable(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()

export type ModelSnapshot = z.infer<typeof modelSnapshotSchema>
