import type { Bus } from '../../src/platform/bus/bus.ts'
import type { BenchOptions } from '../bench-options.ts'
import {
  formatRate,
  formatRatio,
  formatSpread,
  spreadVerdict,
  type BenchRow,
  type SectionResult,
} from '../support/bench-row.ts'
import { median } from '../support/percentile.ts'
import { benchQuoteRecords, meanValueBytes } from './bench-quote-records.ts'
import { runConsumerPerformance, runProducerPerformance } from './kafka-perf.ts'
import { PRODUCE_BATCH, runScenario, SCENARIOS } from './run-scenario.ts'

const GOAL_RATIO = 0.5
/** The producer tuned for throughput, to show the headroom above the tools' defaults. */
const BIG_BATCHES = ['batch.size=1048576', 'linger.ms=20']

async function measureReference(
  bus: Bus,
  bootstrap: string,
  options: BenchOptions['pipeline'],
  recordSize: number,
) {
  const perfTopic = `bench-perf-${Date.now()}`
  await bus.ensureTopics([{ name: perfTopic, partitions: options.partitions, configs: {} }])
  const perf = { bootstrap, topic: perfTopic, records: options.perfRecords, recordSize }
  const produced = await runProducerPerformance(perf)
  const consumed = await runConsumerPerformance(perf)
  return {
    produced,
    consumed,
    harmonic: 1 / (1 / produced.perSecond + 1 / consumed.perSecond),
    strict: Math.min(produced.perSecond, consumed.perSecond),
  }
}

/**
 * Section 1: quotes/s through the processor (and processor + trainer) on the real broker, against
 * Kafka's ProducerPerformance and ConsumerPerformance on the same broker, message size and
 * partitions. The reference is the harmonic combination 1 / (1/produce + 1/consume): the rate of
 * moving each message through one consume and one produce back to back, which is what a
 * consume-transform-produce loop does on a shared machine. Reference and services alternate for
 * `rounds` rounds, and each figure is the median of its rounds' ratios, so that a change in the
 * machine's load between two measurements moves both sides.
 */
export async function measurePipeline(
  bus: Bus,
  bootstrap: string,
  options: BenchOptions['pipeline'],
): Promise<SectionResult> {
  const sample = await benchQuoteRecords(Math.min(options.quotes, 10_000), options.symbols, '')
  const recordSize = Math.round(meanValueBytes(sample))
  const references: Awaited<ReturnType<typeof measureReference>>[] = []
  const rates = new Map<string, number[]>(SCENARIOS.map((scenario) => [scenario.key, []]))
  const preloads: number[] = []
  const failures: string[] = []
  for (let round = 0; round < options.rounds; round++) {
    const reference = await measureReference(bus, bootstrap, options, recordSize)
    references.push(reference)
    for (const scenario of SCENARIOS) {
      try {
        const result = await runScenario(bus, bootstrap, scenario, options)
        rates.get(scenario.key)?.push(result.quotesPerSecond)
        preloads.push(result.producePerSecond)
      } catch (error) {
        rates.get(scenario.key)?.push(Number.NaN)
        failures.push(
          `${scenario.measure}, round ${round + 1}: not measured: ${(error as Error).message.split('\n')[0] ?? ''}`,
        )
      }
    }
  }
  const batchedTopic = `bench-perf-batched-${Date.now()}`
  await bus.ensureTopics([{ name: batchedTopic, partitions: options.partitions, configs: {} }])
  const batched = await runProducerPerformance(
    { bootstrap, topic: batchedTopic, records: options.perfRecords, recordSize },
    BIG_BATCHES,
  )
  const harmonic = median(references.map((r) => r.harmonic))
  const rows: BenchRow[] = SCENARIOS.map((scenario) => {
    const scenarioRates = rates.get(scenario.key) ?? []
    const rate = median(scenarioRates)
    const ratios = scenarioRates.map((r, i) => r / (references[i]?.harmonic ?? Number.NaN))
    const strictRatio = median(scenarioRates.map((r, i) => r / (references[i]?.strict ?? Number.NaN)))
    const isGoal = scenario.key === 'processorEos'
    return {
      section: '1 pipeline',
      measure: scenario.measure,
      quotecast: formatRate(rate),
      reference: `${formatRate(harmonic)} Kafka produce⊕consume`,
      ratio: `${formatSpread(ratios)}; ${formatRatio(strictRatio)} of min`,
      goal: isGoal ? `≥ ${GOAL_RATIO.toFixed(2)}× (whole spread)` : '—',
      verdict: isGoal ? spreadVerdict(ratios, (ratio) => ratio >= GOAL_RATIO) : 'info',
    }
  })
  const list = (values: readonly number[]): string => values.map((value) => formatRate(value)).join(', ')
  const notes = [
    `${options.quotes.toLocaleString('en-US')} quotes of ${options.symbols} synthetic symbols (real bundled series, seeded offsets and price scales), ${options.partitions} partitions, ${recordSize}-byte values; each quote completes a daily bar, so the processor writes a bar, a feature row and (once per symbol per batch) its state.`,
    `Reference: ProducerPerformance (its defaults: batch.size 16 KiB, linger.ms 5; acks=all, idempotent; steady state after ${Math.floor(options.perfRecords / 5).toLocaleString('en-US')} warm-up records) and ConsumerPerformance (fetch rate after the group join, read_committed), ${options.perfRecords.toLocaleString('en-US')} ${recordSize}-byte records, combined harmonically: 1/(1/P + 1/C); the stricter min(P, C) in brackets. Per round: P ${list(references.map((r) => r.produced.perSecond))}; C ${list(references.map((r) => r.consumed.perSecond))}.`,
    `quotecast rate: from the first quote the processor counted to the last stage counting the last quote (process start-up and group join excluded, as the tools exclude theirs), the services running as \`node src/cli.ts process|train\` processes. ${options.rounds} rounds, each reference then the three runs; figures are medians, ratios the median of each round's ratio with the lowest and highest round in brackets; a goal is met only when every round clears it. Per round: ${SCENARIOS.map((scenario) => `${scenario.key} ${list(rates.get(scenario.key) ?? [])}`).join('; ')}.`,
    `Headroom: ProducerPerformance with ${BIG_BATCHES.join(' ')} reached ${formatRate(batched.perSecond)}; the bench's own KafkaBus.produce pre-loading the quotes (${PRODUCE_BATCH} records a call) ${formatRate(median(preloads))}.`,
    ...failures,
  ]
  return {
    rows,
    notes,
    figures: { recordSize, references, batched, rates: Object.fromEntries(rates), preloads },
  }
}
