import { z } from 'zod'
import { epochMs, interval, logReturn, positiveFinite, positivePrice, symbol } from './primitives.ts'

export const PREDICTION_SCHEMA_VERSION = 1

const band = z
  .object({ lower: positiveFinite, upper: positiveFinite })
  .strict()
  .refine((b) => b.upper >= b.lower, { path: ['upper'], message: 'must not be below lower' })

const intervals = z.object({ p80: band, p95: band }).strict()

/** The same forecast for the close `horizon` bars ahead, with the band of the sum of the returns. */
const horizonForecast = z
  .object({
    horizon: z.number().int().min(2).max(20),
    forBarStart: epochMs,
    predictedReturn: logReturn,
    point: positiveFinite,
    intervals,
  })
  .strict()

/**
 * What the served model said about the next bar, before its outcome was known, and about the
 * close 5 and 20 bars ahead in `horizons` (absent from the messages of older releases).
 */
export const predictionSchema = z
  .object({
    schema: z.literal(PREDICTION_SCHEMA_VERSION),
    symbol,
    interval,
    /** The bar whose close this predicts. */
    forBarStart: epochMs,
    /** The last bar the prediction used: data as of. */
    basedOnBarStart: epochMs,
    horizon: z.number().int().positive(),
    lastClose: positivePrice,
    predictedReturn: logReturn,
    point: positiveFinite,
    intervals,
    horizons: z.array(horizonForecast).max(4).optional(),
    model: z.object({ id: z.string().min(1).max(64), version: z.number().int().nonnegative() }).strict(),
    /** Event time of the bar the prediction was made at, so replays are deterministic. */
    madeAt: epochMs,
  })
  .strict()

export type Prediction = z.infer<typeof predictionSchema>
