import { z } from 'zod'
import { epochMs, finite, interval, symbol } from './primitives.ts'

export const MODEL_SNAPSHOT_SCHEMA_VERSION = 1

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

/**
 * Everything the trainer knows about one symbol: the state of every model (naive included),
 * their prequential scores and which one is served. Compacted by symbol on the models topic.
 */
export const modelSnapshotSchema = z
  .object({
    schema: z.literal(MODEL_SNAPSHOT_SCHEMA_VERSION),
    symbol,
    interval,
    /** Number of updates applied: a monotonically increasing model version. */
    version: z.number().int().nonnegative(),
    trainedThrough: epochMs,
    served: z.string().min(1).max(64),
    models: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            kind: z.string().min(1).max(64),
            scores: modelScoresSchema,
          })
          .strict(),
      )
      .min(1),
    /** Opaque, versioned trainer state (model parameters, interval calibrators, pending prediction). */
    state: z.record(z.string(), z.unknown()),
  })
  .strict()

export type ModelSnapshot = z.infer<typeof modelSnapshotSchema>
