import { z } from 'zod'
import { epochMs } from './primitives.ts'

export const DEAD_LETTER_SCHEMA_VERSION = 1

/** A message that could not be used, kept whole with where it came from and why. */
export const deadLetterSchema = z
  .object({
    schema: z.literal(DEAD_LETTER_SCHEMA_VERSION),
    sourceTopic: z.string().min(1).max(249),
    partition: z.number().int().nonnegative(),
    offset: z.string().regex(/^\d+$/),
    key: z.string().max(1024).nullable(),
    reason: z.string().min(1).max(2048),
    /** The original bytes, base64, exactly as consumed. */
    valueBase64: z.string(),
    failedAt: epochMs,
    service: z.string().min(1).max(64),
  })
  .strict()

export type DeadLetter = z.infer<typeof deadLetterSchema>
