// The processor's hot path without I/O: quotes → applyQuote → bars → nextFeatures → feature rows,
// on the real bundled S&P 500 and AAPL daily series, repeated (shifted by whole weeks, so that
// weekdays and gaps stay as they were) to about a million quotes. Run: node bench/processor-hot-path.ts
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { applyQuote } from '../src/core/bars/apply-quote.ts'
import { createBarBuilderState, type BarBuilderState } from '../src/core/bars/bar-builder-state.ts'
import { resolveBarConfig } from '../src/core/bars/resolve-bar-config.ts'
import type { Bar } from '../src/core/contracts/bar.ts'
import type { Quote } from '../src/core/contracts/quote.ts'
import {
  createFeatureState,
  toFeatureStateJson,
  type FeatureState,
} from '../src/core/features/feature-state.ts'
import { nextFeatures } from '../src/core/features/next-features.ts'
import { BUNDLED_CSV, loadCsv } from '../src/platform/market-data/load-csv.ts'

const TARGET_QUOTES = 1_000_000
const RUNS = 5
const DAY = 86_400_000
const WEEK = 7 * DAY

const series = await Promise.all(
  Object.values(BUNDLED_CSV).map(async ({ url, symbol }) => ({
    symbol,
    bars: await loadCsv(url, { symbol }),
  })),
)
const barsPerRepeat = series.reduce((n, s) => n + s.bars.length, 0)

function quoteOf(
  bar: Bar,
  shiftMs: number,
  kind: 'bar' | 'snapshot',
  at = 0,
  price = bar.close,
  volume = bar.volume,
): Quote {
  const asOf = bar.start + shiftMs + at
  const base = {
    schema: 1,
    symbol: bar.symbol,
    exchange: 'NYSE',
    currency: 'USD',
    asOf,
    fetchedAt: asOf + DAY,
    source: 'bench',
  } as const
  return kind === 'bar'
    ? {
        ...base,
        id: `bench:${bar.symbol}:1d:${asOf}`,
        kind,
        interval: '1d',
        price,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        volume,
      }
    : { ...base, id: `bench:${bar.symbol}:snapshot:${asOf}`, kind, price, volume }
}

/** Each symbol's quotes, repeated; `perBar` quotes for each bar. */
function buildQuotes(perBar: number, toQuotes: (bar: Bar, shiftMs: number) => Quote[]): Quote[][] {
  const repeats = Math.ceil(TARGET_QUOTES / (barsPerRepeat * perBar))
  return series.map(({ bars }) => {
    const first = bars[0]?.start ?? 0
    const spanMs = Math.ceil(((bars.at(-1)?.start ?? 0) - first + DAY) / WEEK) * WEEK + WEEK
    const quotes: Quote[] = []
    for (let r = 0; r < repeats; r++) for (const bar of bars) quotes.push(...toQuotes(bar, r * spanMs))
    return quotes
  })
}

const dailyBars = buildQuotes(1, (bar, shift) => [quoteOf(bar, shift, 'bar')])
// Four snapshots a day (open, high, low, close), the last carrying the day's volume.
const dailySnapshots = buildQuotes(4, (bar, shift) => [
  quoteOf(bar, shift, 'snapshot', 14.5 * 3_600_000, bar.open, bar.volume * 0.1),
  quoteOf(bar, shift, 'snapshot', 16 * 3_600_000, bar.high, bar.volume * 0.3),
  quoteOf(bar, shift, 'snapshot', 18 * 3_600_000, bar.low, bar.volume * 0.6),
  quoteOf(bar, shift, 'snapshot', 20.9 * 3_600_000, bar.close, bar.volume),
])
const configResult = resolveBarConfig({ interval: '1d', utcOffsetMs: -5 * 3_600_000 })
if (!configResult.ok) throw new Error(configResult.error)
const config = configResult.value

interface Outcome {
  quotes: number
  bars: number
  rows: number
  rejected: number
  barStates: BarBuilderState[]
  featureStates: FeatureState[]
}

function endToEnd(quotesBySymbol: Quote[][]): Outcome {
  const outcome: Outcome = { quotes: 0, bars: 0, rows: 0, rejected: 0, barStates: [], featureStates: [] }
  for (const quotes of quotesBySymbol) {
    let barState = createBarBuilderState(quotes[0]?.symbol ?? '')
    let featureState = createFeatureState()
    for (const quote of quotes) {
      const applied = applyQuote(barState, quote, config)
      barState = applied.state
      if (applied.rejected !== null) outcome.rejected++
      for (const bar of applied.completed) {
        const next = nextFeatures(featureState, bar)
        featureState = next.state
        outcome.rows++
      }
      outcome.bars += applied.completed.length
    }
    outcome.quotes += quotes.length
    outcome.barStates.push(barState)
    outcome.featureStates.push(featureState)
  }
  return outcome
}

/** The bar builder alone; `keep` receives each symbol's bars (keeping a million costs GC time, so only in set-up). */
function barsOnly(quotesBySymbol: Quote[][], keep?: (bars: Bar[]) => void): number {
  let count = 0
  for (const quotes of quotesBySymbol) {
    let state = createBarBuilderState(quotes[0]?.symbol ?? '')
    const bars: Bar[] = []
    for (const quote of quotes) {
      const applied = applyQuote(state, quote, config)
      state = applied.state
      count += applied.completed.length
      if (keep !== undefined) bars.push(...applied.completed)
    }
    keep?.(bars)
  }
  return count
}

function featuresOnly(barsBySymbol: Bar[][]): number {
  let rows = 0
  for (const bars of barsBySymbol) {
    let state = createFeatureState()
    for (const bar of bars) {
      state = nextFeatures(state, bar).state
      rows++
    }
  }
  return rows
}

/** Median seconds of `RUNS` timed runs, after one untimed warm-up run. */
function time(run: () => unknown): number {
  run()
  const seconds: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    run()
    seconds.push((performance.now() - started) / 1000)
  }
  return seconds.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.NaN
}

const rate = (count: number, seconds: number): string =>
  `${Math.round(count / seconds).toLocaleString('en-US')}/s`
console.log(
  `processor hot path · node ${process.version} · ${cpus()[0]?.model ?? 'unknown cpu'} · median of ${RUNS} runs`,
)
console.log(
  `series: ${series.map((s) => `${s.symbol} ${s.bars.length} bars`).join(', ')}; repeated, shifted by whole weeks`,
)

for (const [name, quotes] of [
  ['daily bar quotes → 1d bars', dailyBars],
  ['4 snapshots a day → 1d bars', dailySnapshots],
] as const) {
  const outcome = endToEnd(quotes)
  if (outcome.rejected > 0 || outcome.rows !== outcome.bars)
    throw new Error(`${name}: ${outcome.rejected} rejected`)
  const seconds = time(() => endToEnd(quotes))
  const bars: Bar[][] = []
  barsOnly(quotes, (symbolBars) => bars.push(symbolBars))
  const barSeconds = time(() => barsOnly(quotes))
  const featureSeconds = time(() => featuresOnly(bars))
  console.log(
    `\n${name}: ${outcome.quotes.toLocaleString('en-US')} quotes → ${outcome.rows.toLocaleString('en-US')} feature rows`,
  )
  console.log(
    `  applyQuote + nextFeatures: ${rate(outcome.quotes, seconds)} quotes, ${rate(outcome.rows, seconds)} feature rows (${seconds.toFixed(3)} s)`,
  )
  console.log(`  applyQuote alone:          ${rate(outcome.quotes, barSeconds)} quotes`)
  console.log(`  nextFeatures alone:        ${rate(outcome.rows, featureSeconds)} feature rows`)
  const barBytes = Math.max(...outcome.barStates.map((s) => JSON.stringify(s).length))
  const featureBytes = Math.max(
    ...outcome.featureStates.map((s) => JSON.stringify(toFeatureStateJson(s)).length),
  )
  console.log(`  state per symbol (JSON): bar builder ${barBytes} B, features ${featureBytes} B`)
}
