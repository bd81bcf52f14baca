// Every incremental feature against a from-scratch batch computation (each window re-read in full,
// each recursion re-run from the first bar) and, where it has one, against trading-signals, on the
// real bundled series. Tolerance: |a - b| <= 1e-9 * max(|a|, |b|) + 1e-12. The 1e-12 absolute floor
// is for values that cross zero (%B, close/SMA - 1, MACD histogram, mean returns), where a relative
// test is meaningless: both sides agree there to a few 1e-15.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { BollingerBands, EMA, MACD, RSI, SMA } from 'trading-signals'
import type { Bar } from '../contracts/bar.ts'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { FEATURE_NAMES, type FeatureName } from './feature-names.ts'
import {
  createFeatureState,
  featureStateSchema,
  fromFeatureStateJson,
  toFeatureStateJson,
  type FeatureState,
} from './feature-state.ts'
import { nextFeatures } from './next-features.ts'

type Values = Record<FeatureName, number | null>

const SERIES = [
  { file: 'sp500.csv', symbol: '^GSPC', count: 5105 },
  { file: 'aapl.csv', symbol: 'AAPL', count: 1260 },
] as const

function loadBars(file: string, symbol: string): Bar[] {
  const parsed = parseOhlcvCsv(readFileSync(new URL(`../../../data/${file}`, import.meta.url), 'utf8'), {
    symbol,
  })
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.value
}

function incremental(
  bars: readonly Bar[],
  from = createFeatureState(),
): { rows: Values[]; state: FeatureState } {
  let state = from
  const rows = bars.map((bar) => {
    const out = nextFeatures(state, bar)
    state = out.state
    return out.row.values as Values
  })
  return { rows, state }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0)
const mean = (xs: readonly number[]): number => sum(xs) / xs.length
const squaredDeviations = (xs: readonly number[]): number => sum(xs.map((x) => (x - mean(xs)) ** 2))
const sampleStd = (xs: readonly number[]): number => Math.sqrt(squaredDeviations(xs) / (xs.length - 1))
const populationStd = (xs: readonly number[]): number => Math.sqrt(squaredDeviations(xs) / xs.length)
const last = (xs: readonly number[], end: number, size: number): number[] | null =>
  end + 1 >= size ? xs.slice(end + 1 - size, end + 1) : null

/** The features of bar `i`, computed from scratch from bars 0..i. */
function batchValues(closes: readonly number[], volumes: readonly number[], i: number): Values {
  const returns = closes.slice(1, i + 1).map((close, k) => Math.log(close / (closes[k] ?? 0)))
  const m = returns.length
  const ret5 = last(returns, m - 1, 5)
  const ret20 = last(returns, m - 1, 20)
  const closes20 = last(closes, i, 20)
  const volumes20 = last(volumes, i, 20)
  const close = closes[i] ?? 0
  let ewmaVar: number | null = null
  for (let k = 19; k < m; k++) {
    const r = returns[k] ?? 0
    ewmaVar =
      ewmaVar === null ? mean(returns.slice(0, 20).map((x) => x * x)) : 0.94 * ewmaVar + (1 - 0.94) * r * r
  }
  let ema20 = closes[0] ?? 0
  for (let k = 1; k <= i; k++) ema20 = (closes[k] ?? 0) * (2 / 21) + ema20 * (1 - 2 / 21)
  const sigma = closes20 === null ? 0 : populationStd(closes20)
  const lag = (k: number): number | null => (m >= k ? (returns[m - k] ?? 0) : null)
  return {
    r1: lag(1),
    r2: lag(2),
    r3: lag(3),
    r4: lag(4),
    r5: lag(5),
    retMean5: ret5 && mean(ret5),
    retStd5: ret5 && sampleStd(ret5),
    retMean20: ret20 && mean(ret20),
    retStd20: ret20 && sampleStd(ret20),
    ewmaVol: ewmaVar === null ? null : Math.sqrt(ewmaVar),
    closeToSma20: closes20 && close / mean(closes20) - 1,
    closeToEma20: i >= 19 ? close / ema20 - 1 : null,
    rsi14: null,
    macd: null,
    macdSignal: null,
    macdHist: null,
    bollingerPctB: closes20 && (close - (mean(closes20) - 2 * sigma)) / (4 * sigma),
    volumeZ20: volumes20 && (volumes[i]! - mean(volumes20)) / sampleStd(volumes20),
    close,
  }
}

/** The same features from trading-signals' streaming indicators, where it has them. */
function tradingSignalsRows(closes: readonly number[]): Partial<Values>[] {
  const [rsi, sma, ema, bands] = [new RSI(14), new SMA(20), new EMA(20), new BollingerBands(20, 2)]
  const macd = new MACD(new EMA(12), new EMA(26), new EMA(9))
  return closes.map((close, i) => {
    rsi.add(close)
    sma.add(close)
    ema.add(close)
    const band = bands.add(close)
    const line = macd.add(close)
    const hasSignal = i >= 33 // the signal EMA(9) has seen 9 MACD values
    return {
      rsi14: rsi.isStable ? rsi.getResultOrThrow() : null,
      closeToSma20: sma.isStable ? close / sma.getResultOrThrow() - 1 : null,
      closeToEma20: ema.isStable ? close / ema.getResultOrThrow() - 1 : null,
      bollingerPctB: band === null ? null : (close - band.lower) / (band.upper - band.lower),
      macd: line === null ? null : line.macd,
      macdSignal: line !== null && hasSignal ? line.signal : null,
      macdHist: line !== null && hasSignal ? line.histogram : null,
    }
  })
}

for (const { file, symbol, count } of SERIES) {
  test(`${symbol}: every incremental feature equals the batch computation and trading-signals (${file})`, (t) => {
    const bars = loadBars(file, symbol)
    assert.equal(bars.length, count)
    const closes = bars.map((bar) => bar.close)
    const volumes = bars.map((bar) => bar.volume)
    const { rows } = incremental(bars)
    const library = tradingSignalsRows(closes)
    const worst = new Map<string, { relative: number; absolute: number; relativeAwayFromZero: number }>()
    let compared = 0
    for (const [i, row] of rows.entries()) {
      const batch = batchValues(closes, volumes, i)
      const references: [string, Partial<Values>][] = [
        ['batch', batch],
        ['trading-signals', library[i] ?? {}],
      ]
      for (const [source, reference] of references) {
        for (const name of FEATURE_NAMES) {
          const expected = reference[name]
          if (
            expected === undefined ||
            (source === 'batch' && ['rsi14', 'macd', 'macdSignal', 'macdHist'].includes(name))
          )
            continue
          const actual = row[name]
          if (expected === null || actual === null) {
            assert.equal(actual, expected, `${name} at bar ${i} (${source})`)
            continue
          }
          const absolute = Math.abs(actual - expected)
          const scale = Math.max(Math.abs(actual), Math.abs(expected))
          assert.ok(
            absolute <= 1e-9 * scale + 1e-12,
            `${name} at bar ${i}: ${actual} vs ${source} ${expected}`,
          )
          const key = `${name} vs ${source}`
          const seen = worst.get(key) ?? { relative: 0, absolute: 0, relativeAwayFromZero: 0 }
          const relative = scale > 0 ? absolute / scale : 0
          worst.set(key, {
            relative: Math.max(seen.relative, relative),
            absolute: Math.max(seen.absolute, absolute),
            relativeAwayFromZero: Math.max(seen.relativeAwayFromZero, scale >= 1e-4 ? relative : 0),
          })
          compared++
        }
      }
    }
    t.diagnostic(`${compared} values compared`)
    for (const [key, { relative, absolute, relativeAwayFromZero }] of worst) {
      const [r, a, z] = [relative, absolute, relativeAwayFromZero].map((x) => x.toExponential(2))
      t.diagnostic(`${key}: max relative ${r} (${z} where |value| >= 1e-4), max absolute ${a}`)
    }
  })

  test(`${symbol}: state -> JSON -> state continues with identical rows`, () => {
    const bars = loadBars(file, symbol)
    const uninterrupted = incremental(bars).rows
    for (const cut of [1, 14, 20, 26, 34, 500, count - 1]) {
      const before = incremental(bars.slice(0, cut)).state
      const json = JSON.stringify(toFeatureStateJson(before))
      const restored = fromFeatureStateJson(featureStateSchema.parse(JSON.parse(json)))
      assert.deepEqual(incremental(bars.slice(cut), restored).rows, uninterrupted.slice(cut), `cut at ${cut}`)
    }
  })
}
