import { z } from 'zod'
import { epochMs, interval, nonNegative, positivePrice, symbol } from './primitives.ts'

export const BAR_SCHEMA_VERSION = 1

/** A completed OHLCV bar in event time: the canonical time series. */
export const barSchema = z
  .object({
    schema: z.literal(BAR_SCHEMA_VERSION),
    symbol,
    interval,
    start: epochMs,
    end: epochMs,
    open: positivePrice,
    high: positivePrice,
    low: positivePrice,
    close: positivePrice,
    volume: nonNegative,
    count: z.number().int().positive(),
  })
  .strict()
  .refine((bar) => bar.end > bar.start, { path: ['end'], message: 'must be after start' })
  .refine((bar) => bar.high >= bar.low, { path: ['high'], message: 'must not be below low' })

export type Bar = z.infer<typeof barSchema>
