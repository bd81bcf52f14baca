import { parseArgs } from 'node:util'

/** In the order, which is the table's; run.ts runs the two on the broker first. */
export const SECTIONS = ['pipeline', 'hot-path', 'api', 'scale', 'latency', 'streams', 'intervals'] as const
export type SectionName = (typeof SECTIONS)[number]

/** Every size the benchmark uses, resolved once from `--quick` (default: the full run). */
export interface BenchOptions {
  readonly isQuick: boolean
  readonly sections: readonly SectionName[]
  /** Where the results are written. */
  readonly resultsPath: string
  /** Free text for RESULTS.md, e.g. what else the machine was doing. */
  readonly note: string | undefined
  /** `--cpu-prof DIR`: the service processes write V8 CPU profiles there. */
  readonly cpuProfileDir: string | undefined
  readonly pipeline: {
    readonly quotes: number
    readonly symbols: number
    readonly partitions: number
    /** Records each Kafka perf tool sends or reads (the first fifth are the producer's warm-up). */
    readonly perfRecords: number
    /** Rounds of reference-then-quotecast; medians are reported. */
    readonly rounds: number
  }
  readonly latency: {
    readonly symbols: number
    readonly warmBars: number
    readonly quotesPerSecond: number
    /** The paced stream before the measured one, not counted: brokers and services warm, as deployed ones are. */
    readonly warmUpSeconds: number
    readonly seconds: number
    /** The measured stream is judged in this many consecutive windows of equal length. */
    readonly windows: number
  }
  readonly hotPath: {
    readonly modelRounds: number
    readonly riverRounds: number
    /** Alternating River then quotecast timings; medians are reported. */
    readonly timingRounds: number
  }
  /** Section 3: `rounds` full-speed rounds of the API and hello-world, then the fixed-rate runs. */
  readonly api: { readonly seconds: number; readonly rounds: number }
  /** Section 6: quotecast's processor against the Kafka Streams reference implementation. */
  readonly streams: {
    readonly quotes: number
    readonly symbols: number
    readonly partitions: number
    /** Alternating rounds of both engines; ratios are reported with their spread over them. */
    readonly rounds: number
    readonly latency: {
      readonly symbols: number
      readonly warmBars: number
      readonly rates: readonly number[]
      readonly seconds: number
    }
  }
  /** Section 7: the published band against GARCH(1,1)-t and River's conformal intervals. */
  readonly intervals: {
    /** Returns before GARCH's first fit; bars before it are scored for no method. */
    readonly firstFit: number
    readonly refitEvery: number
    /** River's residual-quantile windows; null for the whole history. */
    readonly riverWindows: readonly (number | null)[]
  }
  readonly scale: {
    readonly symbolCounts: readonly number[]
    /** Quotes per symbol before measuring, so every state is at its steady-state size. */
    readonly warmBars: number
    readonly measuredMessages: number
    readonly batchSize: number
    /** Rounds of chunk pairs of the fewest and the most symbols, the two processes taking turns. */
    readonly rounds: number
  }
}

/** What `npm run bench -- --help` prints. */
export const BENCH_USAGE = `usage: npm run bench [-- options]

  --quick          the smaller sizes (12 minutes on a quiet 2-core machine); default: the full run
  --only LIST      sections to run, comma-separated, of: ${SECTIONS.join(', ')}
  --out FILE       where the results are written (default: bench/RESULTS.md)
  --note TEXT      free text for the results, e.g. what else the machine was doing
  --cpu-prof DIR   the service processes write V8 CPU profiles into DIR
  -h, --help       this text`

export function resolveBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string', default: new URL('RESULTS.md', import.meta.url).pathname },
      note: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  })
  const only = values.only?.split(',').map((name) => name.trim())
  const unknown = only?.filter((name) => !(SECTIONS as readonly string[]).includes(name)) ?? []
  if (unknown.length > 0)
    throw new Error(`--only: unknown sections ${unknown.join(', ')} (known: ${SECTIONS.join(', ')})`)
  const isQuick = values.quick
  return {
    isQuick,
    sections: SECTIONS.filter((name) => only === undefined || only.includes(name)),
    resultsPath: values.out,
    note: values.note,
    cpuProfileDir: values['cpu-prof'],
    pipeline: isQuick
      ? { quotes: 40_000, symbols: 40, partitions: 6, perfRecords: 200_000, rounds: 2 }
      : { quotes: 200_000, symbols: 100, partitions: 6, perfRecords: 1_000_000, rounds: 3 },
    latency: isQuick
      ? { symbols: 10, warmBars: 60, quotesPerSecond: 20, warmUpSeconds: 15, seconds: 30, windows: 3 }
      : { symbols: 20, warmBars: 60, quotesPerSecond: 50, warmUpSeconds: 120, seconds: 120, windows: 3 },
    hotPath: isQuick
      ? { modelRounds: 10, riverRounds: 2, timingRounds: 2 }
      : { modelRounds: 40, riverRounds: 5, timingRounds: 3 },
    // --quick: 3 s a route, so that its three rounds take about what one round of 5 s did.
    api: { seconds: isQuick ? 3 : 15, rounds: 3 },
    streams: {
      quotes: isQuick ? 60_000 : 200_000,
      symbols: isQuick ? 40 : 100,
      partitions: 6,
      rounds: 3,
      latency: { symbols: 20, warmBars: 40, rates: [50, 1000], seconds: isQuick ? 8 : 30 },
    },
    // The same in --quick: both series take well under a minute.
    intervals: { firstFit: 250, refitEvery: 50, riverWindows: [null, 250] },
    scale: {
      symbolCounts: [10, 1000, 10_000],
      warmBars: 70,
      measuredMessages: isQuick ? 100_000 : 300_000,
      batchSize: 1000,
      rounds: isQuick ? 3 : 5,
    },
  }
}
