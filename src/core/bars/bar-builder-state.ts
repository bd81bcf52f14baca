import { z } from 'zod'
import { epochMs, nonNegative, positivePrice, symbol } from '../contracts/primitives.ts'

export const BAR_BUILDER_STATE_VERSION = 1

/** A bar still collecting quotes: `applyQuote` merges each quote into it in place. */
export const openBarSchema = z
  .object({
    start: epochMs,
    end: epochMs,
    open: positivePrice,
    high: positivePrice,
    low: positivePrice,
    close: positivePrice,
    /** Event time of the contribution that set `open` (earliest wins; a tie keeps the first arrival). */
    openAt: z.number().int(),
    /** Event time of the contribution that set `close` (latest wins; a tie takes the last arrival). */
    closeAt: z.number().int(),
    count: z.number().int().positive(),
    /** Sum of the volumes of bar quotes merged in. */
    barVolume: nonNegative,
    hasBarQuote: z.boolean(),
    /** Highest cumulative day volume among the snapshots merged in; null when none had a volume. */
    cumVolume: nonNegative.nullable(),
  })
  .strict()

export type OpenBar = z.infer<typeof openBarSchema>

/**
 * One symbol's bar builder: plain JSON data, a few hundred bytes to about 1.2 KB with the default
 * 64-id dedup ring. `applyQuote` and `closeDueBars` change it in place, so it is not `readonly`
 * (a zod `.readonly()` would freeze what a restore parses). Validate a restored state with this
 * schema before using it.
 */
export const barBuilderStateSchema = z
  .object({
    version: z.literal(BAR_BUILDER_STATE_VERSION),
    symbol,
    /** Bars still open, oldest first: at most two, since lateness never exceeds the interval. */
    open: z.array(openBarSchema).max(2),
    /** End of the last closed bar: a quote for a bar before it is late. */
    closedThroughMs: epochMs.nullable(),
    /** The furthest event time seen on the bars' time axis (place-quote.ts): a snapshot's asOf, a bar quote's end. */
    eventTimeMs: z.number().int().nullable(),
    /** Hashes of the most recently accepted quote ids: a ring, next written at `recentIdsNext`. */
    recentIds: z.array(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)).max(256),
    recentIdsNext: z.number().int().nonnegative(),
    /** The cumulative day volume already counted in earlier bars of that (exchange-local) day. */
    volumeCarry: z.object({ day: z.number().int(), cumVolume: nonNegative }).strict().nullable(),
  })
  .strict()

export type BarBuilderState = z.infer<typeof barBuilderStateSchema>

/** The state of a symbol that has seen no quote yet. */
export function createBarBuilderState(forSymbol: string): BarBuilderState {
  return {
    version: BAR_BUILDER_STATE_VERSION,
    symbol: forSymbol,
    open: [],
    closedThroughMs: null,
    eventTimeMs: null,
    recentIds: [],
    recentIdsNext: 0,
    volumeCarry: null,
  }
}
