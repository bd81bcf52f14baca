import { hostname } from 'node:os'
import type { Bus } from '../../src/platform/bus/bus.ts'
import { KAFKA_VERSION } from '../../src/platform/kafka-broker/kafka-version.ts'
import type { BenchOptions } from '../bench-options.ts'
import { buildKafkaStreamsApp } from '../kafka-streams/kafka-streams-app.ts'
import { benchQuoteRecords } from '../pipeline/bench-quote-records.ts'
import {
  formatMs,
  formatRate,
  formatSpread as spread,
  spreadVerdict,
  type BenchRow,
  type SectionResult,
} from '../support/bench-row.ts'
import { median } from '../support/percentile.ts'
import { loadBundledBars, syntheticSymbols } from '../support/synthetic-symbols.ts'
import type { EngineName } from './engines.ts'
import { measureOneHop, type LatencyFigures } from './measure-one-hop.ts'
import { measureThroughput, type ThroughputRun } from './measure-throughput.ts'

const SECTION = '6 vs Kafka Streams'
const ENGINES: readonly EngineName[] = ['quotecast', 'kafka-streams']

const mib = (bytes: number): string =>
  Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(0)} MiB` : 'n/a'

/**
 * Section 6: quotecast's processor against the Kafka Streams reference implementation of the same
 * job (bench/kafka-streams/), same input, partitions and broker: throughput with exactly-once and
 * with at-least-once, one-hop latency at each rate, CPU and memory. Rounds alternate which engine
 * goes first; every ratio is the median of the rounds' ratios with their whole spread, and a goal
 * is met only when the whole spread clears it.
 */
export async function measureStreams(
  bus: Bus,
  bootstrap: string,
  options: BenchOptions['streams'],
): Promise<SectionResult> {
  const build = buildKafkaStreamsApp()
  if (!build.ok) {
    const row: BenchRow = {
      section: SECTION,
      measure: 'not measured',
      quotecast: 'n/a',
      reference: 'n/a',
      ratio: '—',
      goal: '—',
      verdict: 'info',
    }
    return { rows: [row], notes: [`not measured: ${build.reason}`], figures: {} }
  }
  const records = await benchQuoteRecords(options.quotes, options.symbols, '')
  const bars = await loadBundledBars()
  const rounds: {
    throughput: Record<string, ThroughputRun>
    latency: Record<string, LatencyFigures[]>
  }[] = []
  const failures: string[] = []
  let settings = ''
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? ENGINES : [...ENGINES].reverse()
    const throughput: Record<string, ThroughputRun> = {}
    const latency: Record<string, LatencyFigures[]> = {}
    for (const isExactlyOnce of [true, false]) {
      for (const engine of order) {
        const key = `${engine}:${isExactlyOnce ? 'eos' : 'alos'}`
        try {
          const run = await measureThroughput(bus, engine, {
            bootstrap,
            classpath: build.classpath,
            isExactlyOnce,
            partitions: options.partitions,
            records,
            label: `xs-${engine}-${isExactlyOnce ? 'eos' : 'alos'}-${round}`,
          })
          throughput[key] = run
          if (engine === 'kafka-streams' && isExactlyOnce) settings = run.settings
        } catch (error) {
          failures.push(
            `${key}, round ${round + 1}: not measured: ${(error as Error).message.split('\n')[0] ?? ''}`,
          )
        }
      }
    }
    for (const engine of order) {
      try {
        // Fresh symbols per round and engine, so that every run starts with empty state.
        const specs = syntheticSymbols(bars, options.latency.symbols, {
          seed: 100 + round,
          barsPerSymbol:
            options.latency.warmBars +
            1 +
            Math.ceil(
              (options.latency.rates.reduce((a, b) => a + b, 0) * options.latency.seconds) /
                options.latency.symbols,
            ),
        })
        latency[engine] = await measureOneHop(bus, engine, {
          bootstrap,
          classpath: build.classpath,
          partitions: options.partitions,
          specs,
          warmBars: options.latency.warmBars,
          rates: options.latency.rates,
          seconds: options.latency.seconds,
          label: `xs-hop-${engine}-${round}`,
        })
      } catch (error) {
        failures.push(
          `${engine} one hop, round ${round + 1}: not measured: ${(error as Error).message.split('\n')[0] ?? ''}`,
        )
      }
    }
    rounds.push({ throughput, latency })
  }

  const tp = (engine: EngineName, mode: string) => rounds.map((r) => r.throughput[`${engine}:${mode}`])
  const ratiosOf = (mode: string, pick: (run: ThroughputRun) => number) =>
    rounds.map((r) => {
      const ours = r.throughput[`quotecast:${mode}`]
      const theirs = r.throughput[`kafka-streams:${mode}`]
      return ours && theirs ? pick(ours) / pick(theirs) : Number.NaN
    })
  const medianOf = (runs: readonly (ThroughputRun | undefined)[], pick: (run: ThroughputRun) => number) =>
    median(runs.map((run) => (run === undefined ? Number.NaN : pick(run))))
  const rows: BenchRow[] = []
  for (const mode of ['eos', 'alos'] as const) {
    const ratios = ratiosOf(mode, (run) => run.quotesPerSecond)
    const isEos = mode === 'eos'
    rows.push({
      section: SECTION,
      measure: `processor throughput, ${isEos ? 'exactly-once' : 'at-least-once'} (quotes/s, steady state)`,
      quotecast: formatRate(medianOf(tp('quotecast', mode), (run) => run.quotesPerSecond)),
      reference: `${formatRate(medianOf(tp('kafka-streams', mode), (run) => run.quotesPerSecond))} Kafka Streams`,
      ratio: spread(ratios),
      goal: isEos ? '≥ 1.0× (whole spread)' : '—',
      verdict: isEos ? spreadVerdict(ratios, (ratio) => ratio >= 1) : 'info',
    })
  }
  for (const mode of ['eos', 'alos'] as const) {
    rows.push({
      section: SECTION,
      measure: `CPU seconds per million quotes, ${mode === 'eos' ? 'exactly-once' : 'at-least-once'}`,
      quotecast: `${medianOf(tp('quotecast', mode), (run) => run.cpuSecondsPerMillion).toFixed(1)} s`,
      reference: `${medianOf(tp('kafka-streams', mode), (run) => run.cpuSecondsPerMillion).toFixed(1)} s Kafka Streams`,
      ratio: spread(ratiosOf(mode, (run) => run.cpuSecondsPerMillion)),
      goal: '—',
      verdict: 'info',
    })
  }
  rows.push({
    section: SECTION,
    measure: `peak RSS of the process over ${formatRate(options.quotes, '')} quotes, exactly-once`,
    quotecast: mib(medianOf(tp('quotecast', 'eos'), (run) => run.peakRssBytes)),
    reference: `${mib(medianOf(tp('kafka-streams', 'eos'), (run) => run.peakRssBytes))} Kafka Streams`,
    ratio: spread(ratiosOf('eos', (run) => run.peakRssBytes)),
    goal: '—',
    verdict: 'info',
  })
  const hop = (engine: EngineName, round: (typeof rounds)[number], rate: number) =>
    round.latency[engine]?.find((figures) => figures.rate === rate)
  for (const rate of options.latency.rates) {
    const figure = (engine: EngineName, pick: (f: LatencyFigures) => number) =>
      median(
        rounds.map((round) => {
          const f = hop(engine, round, rate)
          return f === undefined ? Number.NaN : pick(f)
        }),
      )
    const ratios = (pick: (f: LatencyFigures) => number) =>
      rounds.map((round) => {
        const ours = hop('quotecast', round, rate)
        const theirs = hop('kafka-streams', round, rate)
        return ours && theirs ? pick(ours) / pick(theirs) : Number.NaN
      })
    const p99Ratios = ratios((f) => f.p99)
    const three = (engine: EngineName) =>
      `${formatMs(figure(engine, (f) => f.p50))} / ${formatMs(figure(engine, (f) => f.p99))} / ${formatMs(figure(engine, (f) => f.max))}`
    rows.push({
      section: SECTION,
      measure: `one hop at ${rate} quotes/s: quote produced → feature row readable (read_committed), p50 / p99 / max`,
      quotecast: three('quotecast'),
      reference: `${three('kafka-streams')} Kafka Streams`,
      ratio: `p99 ${spread(p99Ratios)}; p50 ${spread(ratios((f) => f.p50))}`,
      goal: 'p99 ≤ 1.0× (whole spread)',
      verdict: spreadVerdict(p99Ratios, (ratio) => ratio <= 1),
    })
  }

  const perRound = rounds
    .map((round, index) => {
      const t = Object.entries(round.throughput)
        .map(
          ([key, run]) =>
            `${key} ${formatRate(run.quotesPerSecond)} (${run.cpuSecondsPerMillion.toFixed(1)} CPU s/M, ${mib(run.peakRssBytes)})`,
        )
        .join(', ')
      const l = Object.entries(round.latency)
        .map(([engine, figures]) =>
          figures
            .map(
              (f) =>
                `${engine} ${f.rate}/s p50 ${formatMs(f.p50)} p99 ${formatMs(f.p99)} max ${formatMs(f.max)} (${f.seen}/${f.sent})`,
            )
            .join(', '),
        )
        .join(', ')
      return `round ${index + 1}: ${t}; ${l}`
    })
    .join('\n')
  const notes = [
    `${options.quotes} daily bar quotes of ${options.symbols} synthetic symbols (the pipeline section's input), ${options.partitions} partitions, on the bench's broker; each quote completes a bar, so each engine writes a bar, a feature row and a state update per quote. The two engines run as their own processes: \`quotecast process\` (Node) and bench/kafka-streams (Java 17, Kafka Streams ${KAFKA_VERSION}, built with ${build.how}, on ${hostname()}).`,
    `Throughput: both engines polled every 200 ms for the quotes they took; the rate is from the first poll that saw one to the first that saw all (start-up, restore and the group join left out). CPU: user + system seconds of the process over that span, per million quotes. RSS: the process's peak (VmHWM) over the whole run, start-up included.`,
    `One hop: ${options.latency.symbols} symbols warmed with ${options.latency.warmBars} bars each, then ${options.latency.seconds} s at each of ${options.latency.rates.join(' and ')} quotes/s, round-robin over the symbols; the clock runs from handing the quote to the producer (acks=all) to the row coming out of a read_committed poll in the bench process. Both exactly-once.`,
    `Rounds: ${options.rounds}, alternating which engine goes first; each ratio is quotecast ÷ Kafka Streams, the median of the rounds' ratios with their whole spread (min–max). A goal is met only when the whole spread clears it.`,
    `Kafka Streams settings (tuned as its docs recommend: num.stream.threads = cores, the record cache on the store, commit.interval.ms left at its exactly-once default of 100 ms, RocksDB store with a changelog): ${settings}`,
    `Per round:\n${perRound}`,
    ...failures,
  ]
  return { rows, notes, figures: { rounds, settings } }
}
