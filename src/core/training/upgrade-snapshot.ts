import { z } from 'zod'
import { decodeMessage } from '../contracts/decode-message.ts'
import {
  MODEL_SNAPSHOT_SCHEMA_VERSION,
  modelSnapshotSchema,
  SCORE_SUM_FIELDS,
  type ModelSnapshot,
} from '../contracts/model-snapshot.ts'
import { err, type Result } from '../contracts/result.ts'
import { decodeModelSnapshot, MODEL_SNAPSHOT_MARKER } from './model-snapshot-codec.ts'

const sums = z
  .object(Object.fromEntries(SCORE_SUM_FIELDS.map((name) => [name, z.number()])))
  .transform((value) => SCORE_SUM_FIELDS.map((name) => value[name] ?? 0) as ModelSnapshot['servedScoreSums'])
const level = z.object({ q: z.number(), alpha: z.number() })

/** What version 1 wrote (one trainer state under `state`, scores summarised beside it), read as version 2. */
const snapshotV1Schema = z
  .object({
    schema: z.literal(1),
    state: z.object({
      symbol: z.string(),
      interval: z.string(),
      version: z.number(),
      lastBarStart: z.number(),
      lastClose: z.number(),
      lastInputs: z.record(z.string(), z.number().nullable()),
      volatility: z.object({ variance: z.number(), weight: z.number(), count: z.number() }),
      pendingSigma: z.number().nullable(),
      served: z.string(),
      servedScores: sums,
      models: z.array(
        z.object({
          id: z.string(),
          kind: z.string(),
          version: z.number(),
          state: z.record(z.string(), z.unknown()),
          band: z.object({ p80: level, p95: level }),
          scores: sums,
          recentLossDiff: z.number(),
          pending: z.number().nullable(),
        }),
      ),
    }),
  })
  .transform(({ state }) => ({
    schema: MODEL_SNAPSHOT_SCHEMA_VERSION,
    symbol: state.symbol,
    interval: state.interval,
    version: state.version,
    trainedThrough: state.lastBarStart,
    served: state.served,
    lastClose: state.lastClose,
    lastInputs: state.lastInputs,
    volatility: [state.volatility.variance, state.volatility.weight, state.volatility.count],
    pendingSigma: state.pendingSigma,
    servedScoreSums: state.servedScores,
    models: state.models.map(({ band, scores, ...slot }) => ({
      ...slot,
      band: [band.p80.q, band.p80.alpha, band.p95.q, band.p95.alpha],
      scoreSums: scores,
    })),
  }))
  .pipe(modelSnapshotSchema)

/**
 * Decodes a models-topic value: the binary layout (`model-snapshot-codec.ts`), or the JSON of older
 * releases, reading a version 1 snapshot (written before the state was stored once, without its
 * derived scores) as the same state in version 2, so a trainer upgraded over a compacted topic
 * resumes where it stopped. Errors name the version 2 field.
 */
export function decodeSnapshot(bytes: Uint8Array | null): Result<ModelSnapshot> {
  if (bytes?.[0] === MODEL_SNAPSHOT_MARKER) return decodeModelSnapshot(bytes)
  const decoded = decodeMessage(modelSnapshotSchema, bytes)
  if (decoded.ok) return decoded
  const legacy = decodeMessage(snapshotV1Schema, bytes)
  return legacy.ok ? legacy : err(decoded.error)
}
