import { z } from 'zod'
import { epochMs, featureValue, interval, positivePrice, symbol } from './primitives.ts'

export const FEATURE_ROW_SCHEMA_VERSION = 1

/**
 * One row of features per completed bar. `values` maps feature name to value; a feature that is
 * not yet defined (warm-up) is null rather than invented. Windows count bars: a gap shows in
 * `gapBars`, not as invented bars.
 */
export const featureRowSchema = z
  .object({
    schema: z.literal(FEATURE_ROW_SCHEMA_VERSION),
    symbol,
    interval,
    barStart: epochMs,
    barEnd: epochMs,
    close: positivePrice,
    /** The bar's open, high and low, for range-based variance; absent in rows of older releases. */
    open: positivePrice.optional(),
    high: positivePrice.optional(),
    low: positivePrice.optional(),
    featureVersion: z.number().int().positive(),
    /** Bars missing between the previous bar and this one (0 when contiguous). */
    gapBars: z.number().int().nonnegative(),
    values: z.record(z.string().min(1).max(64), featureValue.nullable()),
  })
  .strict()
  .refine((row) => row.barEnd > row.barStart, { path: ['barEnd'], message: 'must be after barStart' })

export type FeatureRow = z.infer<typeof featureRowSchema>
