import { z } from 'zod'
import { epochMs, finite } from '../contracts/primitives.ts'
import { FEATURE_VERSION } from './feature-names.ts'

/** Bars kept in each ring: the longest window (SMA, Bollinger, 20-bar returns, volume z-score). */
export const FEATURE_WINDOW = 20

const ring = z.array(finite).length(FEATURE_WINDOW)

/**
 * One symbol's feature state: plain JSON data of about 1.5 KB, restorable with this schema, and
 * changed in place by `nextFeatures` (so not `readonly`: zod would freeze a restored one). The
 * rings are indexed by position modulo 20 and start as zeros, which a window then "removes" at no
 * cost while it fills. `sums` holds four windows of double-double Σx and Σx² (see window-sums.ts):
 * closes at 0, 5-bar returns at 4, 20-bar returns at 8, volumes at 12.
 */
export const featureStateSchema = z
  .object({
    version: z.literal(FEATURE_VERSION),
    /** Bars seen so far. */
    count: z.number().int().nonnegative(),
    lastStart: epochMs.nullable(),
    closes: ring,
    returns: ring,
    volumes: ring,
    sums: z.array(finite).length(16),
    /** EMAs seeded with the first close, as trading-signals seeds them. */
    ema12: finite.nullable(),
    ema20: finite.nullable(),
    ema26: finite.nullable(),
    /** EMA(9) of the MACD line, from the 26th bar on. */
    macdSignal: finite.nullable(),
    /** Sums of the first 14 gains and losses, then Wilder's averages of them. */
    rsiGain: finite,
    rsiLoss: finite,
    /** RiskMetrics variance of returns, from the 20th return on. */
    ewmaVar: finite.nullable(),
  })
  .strict()

export type FeatureState = z.infer<typeof featureStateSchema>

/** The state of a symbol that has seen no bar yet. */
export function createFeatureState(): FeatureState {
  const zeros = (): number[] => new Array<number>(FEATURE_WINDOW).fill(0)
  return {
    version: FEATURE_VERSION,
    count: 0,
    lastStart: null,
    closes: zeros(),
    returns: zeros(),
    volumes: zeros(),
    sums: new Array<number>(16).fill(0),
    ema12: null,
    ema20: null,
    ema26: null,
    macdSignal: null,
    rsiGain: 0,
    rsiLoss: 0,
    ewmaVar: null,
  }
}
