import type { Bar } from '../../src/core/contracts/bar.ts'
import type { Quote } from '../../src/core/contracts/quote.ts'
import { seededRandom } from '../../test/fixtures/seeded-random.ts'
import { BUNDLED_CSV, loadCsv } from '../../src/platform/market-data/load-csv.ts'
import { barToQuote } from '../../src/core/providers/bar-to-quote.ts'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS

/** A synthetic symbol: one of the bundled real series, from a seeded offset, at a seeded price scale. */
export interface SyntheticSymbol {
  readonly symbol: string
  readonly base: readonly Bar[]
  /** Whole weeks the series is shifted by each time it wraps around, so starts keep increasing. */
  readonly cycleMs: number
  readonly offset: number
  /** Wraps added to every bar's cycle: negative so that a service's clock never sees a future quote. */
  readonly firstCycle: number
  readonly priceScale: number
}

export async function loadBundledBars(): Promise<Bar[][]> {
  return Promise.all(Object.values(BUNDLED_CSV).map(({ url, symbol }) => loadCsv(url, { symbol })))
}

export interface SyntheticOptions {
  readonly seed?: number
  /**
   * Bars each symbol will be asked for. When given, the series wraps backwards in time so that the
   * last of them lies within the real data (services dead-letter quotes from the future); when
   * left out, it starts at the real data and wraps forwards (for stages called without a clock).
   */
  readonly barsPerSymbol?: number
}

/**
 * `count` symbols named S00000…, each a real bundled daily series (chosen, offset and scaled by
 * a seeded generator): every return is a real one, every symbol is different.
 */
export function syntheticSymbols(
  series: readonly (readonly Bar[])[],
  count: number,
  options: SyntheticOptions = {},
): SyntheticSymbol[] {
  const random = seededRandom(options.seed ?? 9)
  return Array.from({ length: count }, (_, i) => {
    const base = series[Math.floor(random.uniform() * series.length)] ?? []
    const first = base[0]?.start ?? 0
    const last = base.at(-1)?.start ?? 0
    const offset = Math.floor(random.uniform() * base.length)
    const bars = options.barsPerSymbol
    return {
      symbol: `S${String(i).padStart(5, '0')}`,
      base,
      cycleMs: Math.ceil((last - first + DAY_MS) / WEEK_MS) * WEEK_MS + WEEK_MS,
      offset,
      firstCycle: bars === undefined ? 0 : -Math.floor((offset + bars - 1) / base.length),
      priceScale: 0.5 + 1.5 * random.uniform(),
    }
  })
}

/** The symbol's `k`-th bar (k ≥ 0): bars go on forever, wrapping round the real series. */
export function syntheticBar(spec: SyntheticSymbol, k: number): Bar {
  const index = spec.offset + k
  const cycle = Math.floor(index / spec.base.length)
  const bar = spec.base[index % spec.base.length]
  if (bar === undefined) throw new Error(`no bars behind ${spec.symbol}`)
  const shift = (cycle + spec.firstCycle) * spec.cycleMs
  const scale = spec.priceScale
  return {
    ...bar,
    symbol: spec.symbol,
    start: bar.start + shift,
    end: bar.end + shift,
    open: bar.open * scale,
    high: bar.high * scale,
    low: bar.low * scale,
    close: bar.close * scale,
  }
}

/** The daily bar quote a backfill would publish for `bar`. */
export function quoteOfBar(bar: Bar): Quote {
  return barToQuote(bar, {
    exchange: 'BENCH',
    currency: 'USD',
    fetchedAt: bar.end + 3_600_000,
    source: 'bench',
  })
}
