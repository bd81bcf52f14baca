import { z } from 'zod'
import { epochMs, interval, positivePrice, quoteVolume, shortText, symbol } from './primitives.ts'

export const QUOTE_SCHEMA_VERSION = 1

/**
 * A price observation from a provider: a live snapshot, or a historical bar from a backfill.
 * `id` is the stable identity used for deduplication downstream: the same observation fetched
 * twice carries the same id.
 */
export const quoteSchema = z
  .object({
    schema: z.literal(QUOTE_SCHEMA_VERSION),
    id: z.string().min(1).max(128),
    symbol,
    exchange: shortText,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
    kind: z.enum(['snapshot', 'bar']),
    interval: interval.optional(),
    price: positivePrice,
    open: positivePrice.optional(),
    high: positivePrice.optional(),
    low: positivePrice.optional(),
    volume: quoteVolume.optional(),
    asOf: epochMs,
    fetchedAt: epochMs,
    source: shortText,
  })
  .strict()
  .superRefine((quote, ctx) => {
    if (quote.kind === 'bar' && quote.interval === undefined) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'is required when kind is "bar"' })
    }
    if (quote.high !== undefined && quote.low !== undefined && quote.high < quote.low) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'must not be below low' })
    }
    for (const field of ['open', 'price'] as const) {
      const value = quote[field]
      if (value === undefined) continue
      if (
        (quote.high !== undefined && value > quote.high * (1 + 1e-9)) ||
        (quote.low !== undefined && value < quote.low * (1 - 1e-9))
      ) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'must lie between low and high' })
      }
    }
  })

export type Quote = z.infer<typeof quoteSchema>
