import { z } from 'zod'
import { epochMs, finite, logReturn, MAX_PRICE, nonNegative } from '../contracts/primitives.ts'
import { FEATURE_VERSION } from './feature-names.ts'

/** Bars kept in each ring: the longest window (SMA, Bollinger, 20-bar returns, volume z-score). */
export const FEATURE_WINDOW = 20

const W = FEATURE_WINDOW

/**
 * Where each number of a feature state lies in `FeatureState.data`, in the order of the JSON form
 * below (and of the processor-state changelog layout): the rings and `sums` are runs of 20 and 16.
 */
export const FEATURE_SLOT = {
  count: 0,
  lastStart: 1,
  closes: 2,
  returns: 2 + W,
  volumes: 2 + 2 * W,
  sums: 2 + 3 * W,
  ema12: 2 + 3 * W + 16,
  ema20: 3 + 3 * W + 16,
  ema26: 4 + 3 * W + 16,
  macdSignal: 5 + 3 * W + 16,
  rsiGain: 6 + 3 * W + 16,
  rsiLoss: 7 + 3 * W + 16,
  ewmaVar: 8 + 3 * W + 16,
  length: 9 + 3 * W + 16,
} as const

/** The numbers that may be absent: NaN in `data`, null in the JSON form. */
export const FEATURE_NULLABLE = ['lastStart', 'ema12', 'ema20', 'ema26', 'macdSignal', 'ewmaVar'] as const

/**
 * One symbol's feature state, as `nextFeatures` changes it in place: every number in one
 * Float64Array (`FEATURE_SLOT` says where), NaN where the JSON form has null. One contiguous array
 * and no boxed numbers, because the processor keeps one per symbol and touches it for every bar.
 * The rings are indexed by position modulo 20 and start as zeros, which a window then "removes" at
 * no cost while it fills. `sums` holds four windows of double-double Σx and Σx² (see
 * window-sums.ts): closes at 0, 5-bar returns at 4, 20-bar returns at 8, volumes at 12.
 */
export interface FeatureState {
  readonly version: typeof FEATURE_VERSION
  readonly data: Float64Array
}

// Bounded as the bars they hold (0 while a ring fills), so a restored state stays finite however it
// is stepped: a state from before the bounds that holds a larger price is unreadable, not poison.
const ring = (value: z.ZodNumber) => z.array(value).length(FEATURE_WINDOW).readonly()
const ringClose = z.number().nonnegative().max(MAX_PRICE)

/** A feature state as plain JSON data of about 1.5 KB: how it is persisted, restorable with this schema. */
export const featureStateSchema = z
  .object({
    version: z.literal(FEATURE_VERSION),
    /** Bars seen so far. */
    count: z.number().int().nonnegative(),
    lastStart: epochMs.nullable(),
    closes: ring(ringClose),
    returns: ring(logReturn),
    volumes: ring(nonNegative),
    sums: z.array(finite).length(16).readonly(),
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
  .readonly()

export type FeatureStateJson = z.infer<typeof featureStateSchema>

/** The state of a symbol that has seen no bar yet. */
export function createFeatureState(): FeatureState {
  const data = new Float64Array(FEATURE_SLOT.length)
  for (const name of FEATURE_NULLABLE) data[FEATURE_SLOT[name]] = Number.NaN
  return { version: FEATURE_VERSION, data }
}

/** The JSON form of a state: a copy, which later steps leave alone. */
export function toFeatureStateJson(state: FeatureState): FeatureStateJson {
  const { data } = state
  const value = (slot: number): number => data[slot] ?? 0
  const nullable = (slot: number): number | null => (Number.isNaN(data[slot]) ? null : value(slot))
  const run = (slot: number, length: number): number[] => Array.from(data.subarray(slot, slot + length))
  return {
    version: state.version,
    count: value(FEATURE_SLOT.count),
    lastStart: nullable(FEATURE_SLOT.lastStart),
    closes: run(FEATURE_SLOT.closes, W),
    returns: run(FEATURE_SLOT.returns, W),
    volumes: run(FEATURE_SLOT.volumes, W),
    sums: run(FEATURE_SLOT.sums, 16),
    ema12: nullable(FEATURE_SLOT.ema12),
    ema20: nullable(FEATURE_SLOT.ema20),
    ema26: nullable(FEATURE_SLOT.ema26),
    macdSignal: nullable(FEATURE_SLOT.macdSignal),
    rsiGain: value(FEATURE_SLOT.rsiGain),
    rsiLoss: value(FEATURE_SLOT.rsiLoss),
    ewmaVar: nullable(FEATURE_SLOT.ewmaVar),
  }
}

/** The state of a JSON form validated with `featureStateSchema` (its numbers copied). */
export function fromFeatureStateJson(json: FeatureStateJson): FeatureState {
  const data = new Float64Array(FEATURE_SLOT.length)
  data[FEATURE_SLOT.count] = json.count
  data.set(json.closes, FEATURE_SLOT.closes)
  data.set(json.returns, FEATURE_SLOT.returns)
  data.set(json.volumes, FEATURE_SLOT.volumes)
  data.set(json.sums, FEATURE_SLOT.sums)
  data[FEATURE_SLOT.rsiGain] = json.rsiGain
  data[FEATURE_SLOT.rsiLoss] = json.rsiLoss
  for (const name of FEATURE_NULLABLE) data[FEATURE_SLOT[name]] = json[name] ?? Number.NaN
  return { version: json.version, data }
}
