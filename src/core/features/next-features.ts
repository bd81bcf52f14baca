import type { Bar } from '../contracts/bar.ts'
import { FEATURE_ROW_SCHEMA_VERSION, type FeatureRow } from '../contracts/feature-row.ts'
import { INTERVAL_MS } from '../contracts/primitives.ts'
import { countGapBars } from './count-gap-bars.ts'
import { FEATURE_VERSION, type FeatureName } from './feature-names.ts'
import { FEATURE_SLOT, FEATURE_WINDOW as W, type FeatureState } from './feature-state.ts'
import { slideWindowSums, windowScaledDeviation, windowSum, windowSumOfSquares } from './window-sums.ts'

const SHORT = 5
const RSI_PERIOD = 14
const RSI_FACTOR = 1 / RSI_PERIOD
const MACD_LONG = 26
const MACD_SIGNAL = 9
const LAMBDA = 0.94
const K12 = 2 / 13
const K20 = 2 / 21
const K26 = 2 / 27
const K9 = 2 / 10
const S = FEATURE_SLOT
// The four windows of running sums, in `data`.
const [CLOSES, RET5, RET20, VOLUMES] = [S.sums, S.sums + 4, S.sums + 8, S.sums + 12] as const

/** The ring position `k` places before `slot` (0 < k < W). */
const back = (slot: number, k: number): number => (slot - k + W) % W
/** The return k bars back (1 = this bar's), with m returns seen so far. */
const lag = (data: Float64Array, m: number, slot: number, k: number): number | null =>
  m >= k ? (data[S.returns + back(slot, k)] ?? 0) : null
const sampleStd = (data: Float64Array, at: number, size: number): number =>
  Math.sqrt(windowScaledDeviation(data, at, size) / (size * (size - 1)))
const finiteOrNull = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null)
/**
 * How far %B and the volume z-score can lie from their centres (0.5 and 0) for any window of 20:
 * a value is within √(n − 1) population σ of its window's mean, and within (n − 1)/√n sample σ
 * (Samuelson's inequality). The running sums' error grows with the stream's length times the
 * cancellation (README.md), and where σ is a few ulps of the level an inexact σ could make the
 * ratio any size: clamped, the feature stays within its range (and MAX_FEATURE_VALUE) whatever the
 * stream. Not reached on the real series, nor by the property test's streams.
 */
const PCT_B_REACH = Math.sqrt(W - 1) / 4
const Z_REACH = (W - 1) / Math.sqrt(W)
const clampedOrNull = (x: number | null, centre: number, reach: number): number | null =>
  x !== null && Number.isFinite(x) ? Math.min(centre + reach, Math.max(centre - reach, x)) : null
/** A nullable slot: NaN stands for null. */
const orNull = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : x)

/**
 * Computes the feature row of a completed bar and the state after it, in O(1): every window
 * slides by one (ring buffers and double-double running sums), every average is a recursion.
 * Features lacking history are null (see README.md for each one's warm-up). Bars must come in
 * start order; a bar not after the previous one is a broken invariant and throws.
 *
 * Changes `state` in place and returns it with the row: its owner keeps one per symbol, and a
 * copy per bar was garbage that grew with the number of symbols. The row shares nothing with it.
 */
export function nextFeatures(state: FeatureState, bar: Bar): { state: FeatureState; row: FeatureRow } {
  const { data } = state
  const lastStart = orNull(data[S.lastStart])
  if (lastStart !== null && bar.start <= lastStart) {
    const [at, last] = [bar.start, lastStart].map((ms) => new Date(ms).toISOString())
    throw new Error(`nextFeatures: the ${bar.symbol} bar at ${at} does not follow the bar at ${last}`)
  }
  const count = data[S.count] ?? 0
  const n = count + 1
  const close = bar.close
  // This bar's ring position. Every other one is taken from it: the count is a double here, and
  // `%` on doubles is a slow call where the small integers below take one instruction.
  const slot = (count % W) | 0
  const previousClose = n > 1 ? (data[S.closes + back(slot, 1)] ?? 0) : 0
  slideWindowSums(data, CLOSES, close, data[S.closes + slot] ?? 0)
  data[S.closes + slot] = close
  slideWindowSums(data, VOLUMES, bar.volume, data[S.volumes + slot] ?? 0)
  data[S.volumes + slot] = bar.volume

  // Returns: the j-th return (0-based) lives at j % W; m returns so far, so this one at `slot - 1`.
  const m = n - 1
  let rsiGain = data[S.rsiGain] ?? 0
  let rsiLoss = data[S.rsiLoss] ?? 0
  let ewmaVar = orNull(data[S.ewmaVar])
  if (m > 0) {
    const r = Math.log(close / previousClose)
    const j = m - 1
    slideWindowSums(data, RET20, r, data[S.returns + back(slot, 1)] ?? 0)
    slideWindowSums(data, RET5, r, j >= SHORT ? (data[S.returns + back(slot, 1 + SHORT)] ?? 0) : 0)
    data[S.returns + back(slot, 1)] = r
    if (m === W) ewmaVar = windowSumOfSquares(data, RET20) / W
    else if (ewmaVar !== null) ewmaVar = LAMBDA * ewmaVar + (1 - LAMBDA) * r * r
    const gain = close > previousClose ? close - previousClose : 0
    const loss = close > previousClose ? 0 : previousClose - close
    if (m <= RSI_PERIOD) {
      rsiGain += gain
      rsiLoss += loss
      if (m === RSI_PERIOD) {
        rsiGain /= RSI_PERIOD
        rsiLoss /= RSI_PERIOD
      }
    } else {
      rsiGain = (gain - rsiGain) * RSI_FACTOR + rsiGain
      rsiLoss = (loss - rsiLoss) * RSI_FACTOR + rsiLoss
    }
  }

  const ema12 = close * K12 + (orNull(data[S.ema12]) ?? close) * (1 - K12)
  const ema20 = close * K20 + (orNull(data[S.ema20]) ?? close) * (1 - K20)
  const ema26 = close * K26 + (orNull(data[S.ema26]) ?? close) * (1 - K26)
  const macd = n >= MACD_LONG ? ema12 - ema26 : null
  const macdSignal = macd === null ? null : macd * K9 + (orNull(data[S.macdSignal]) ?? macd) * (1 - K9)
  const hasSignal = n >= MACD_LONG + MACD_SIGNAL - 1

  let sma20: number | null = null
  let pctB: number | null = null
  let volumeZ: number | null = null
  if (n >= W) {
    sma20 = windowSum(data, CLOSES) / W
    const sigma = Math.sqrt(windowScaledDeviation(data, CLOSES, W)) / W
    const lower = sma20 - sigma * 2
    const upper = sma20 + sigma * 2
    pctB = sigma > 0 ? (close - lower) / (upper - lower) : null
    const volumeDeviation = windowScaledDeviation(data, VOLUMES, W)
    volumeZ =
      volumeDeviation > 0
        ? (bar.volume - windowSum(data, VOLUMES) / W) / Math.sqrt(volumeDeviation / (W * (W - 1)))
        : null
  }

  const values: Record<FeatureName, number | null> = {
    r1: lag(data, m, slot, 1),
    r2: lag(data, m, slot, 2),
    r3: lag(data, m, slot, 3),
    r4: lag(data, m, slot, 4),
    r5: lag(data, m, slot, 5),
    retMean5: m >= SHORT ? windowSum(data, RET5) / SHORT : null,
    retStd5: m >= SHORT ? sampleStd(data, RET5, SHORT) : null,
    retMean20: m >= W ? windowSum(data, RET20) / W : null,
    retStd20: m >= W ? sampleStd(data, RET20, W) : null,
    ewmaVol: ewmaVar === null ? null : Math.sqrt(ewmaVar),
    closeToSma20: sma20 === null ? null : finiteOrNull(close / sma20 - 1),
    closeToEma20: n >= W ? finiteOrNull(close / ema20 - 1) : null,
    rsi14: m >= RSI_PERIOD ? (rsiLoss === 0 ? 100 : 100 - 100 / (rsiGain / rsiLoss + 1)) : null,
    macd,
    macdSignal: hasSignal ? macdSignal : null,
    macdHist: hasSignal && macd !== null && macdSignal !== null ? macd - macdSignal : null,
    bollingerPctB: clampedOrNull(pctB, 0.5, PCT_B_REACH),
    volumeZ20: clampedOrNull(volumeZ, 0, Z_REACH),
    close,
  }
  const gapBars = lastStart === null ? 0 : countGapBars(lastStart, bar.start, INTERVAL_MS[bar.interval])
  data[S.count] = n
  data[S.lastStart] = bar.start
  data[S.ema12] = ema12
  data[S.ema20] = ema20
  data[S.ema26] = ema26
  data[S.macdSignal] = macdSignal ?? Number.NaN
  data[S.rsiGain] = rsiGain
  data[S.rsiLoss] = rsiLoss
  data[S.ewmaVar] = ewmaVar ?? Number.NaN
  const row: FeatureRow = {
    schema: FEATURE_ROW_SCHEMA_VERSION,
    symbol: bar.symbol,
    interval: bar.interval,
    barStart: bar.start,
    barEnd: bar.end,
    close,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    featureVersion: FEATURE_VERSION,
    gapBars,
    values,
  }
  return { state, row }
}
