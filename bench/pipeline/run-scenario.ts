import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { topicSpecs } from '../../src/core/contracts/topics.ts'
import type { Bus, OutgoingRecord } from '../../src/platform/bus/bus.ts'
import type { BenchOptions } from '../bench-options.ts'
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts'
import { benchQuoteRecords } from './bench-quote-records.ts'

const POLL_MS = 200
const STALL_MS = 90_000
export const PRODUCE_BATCH = 5000

export interface Scenario {
  readonly key: string
  readonly measure: string
  readonly commands: readonly ('process' | 'train')[]
  readonly isExactlyOnce: boolean
}

/** What section 1 runs, each on fresh topics: the processor with and without transactions, and both stages. */
export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'processorEos',
    measure: 'processor, exactly-once (quotes/s)',
    commands: ['process'],
    isExactlyOnce: true,
  },
  {
    key: 'processorAtLeastOnce',
    measure: 'processor, --exactly-once false (quotes/s)',
    commands: ['process'],
    isExactlyOnce: false,
  },
  {
    key: 'pipelineEos',
    measure: 'processor + trainer, exactly-once (quotes/s)',
    commands: ['process', 'train'],
    isExactlyOnce: true,
  },
]

const COUNTERS = {
  process: 'quotecast_processor_quotes_total',
  train: 'quotecast_trainer_rows_total',
} as const

async function produceAll(bus: Bus, records: readonly OutgoingRecord[]): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < records.length; i += PRODUCE_BATCH)
    await bus.produce(records.slice(i, i + PRODUCE_BATCH))
  return records.length / ((performance.now() - started) / 1000)
}

/**
 * Quotes/s through the services, from the first quote the processor took to the moment the last
 * stage counted the last one: start-up and the group join are left out, as the perf tools leave
 * out theirs.
 */
async function throughput(services: readonly ServiceProcess[], counters: readonly string[], total: number) {
  const first = services[0]!
  const last = services.at(-1)!
  let startedAt: number | undefined
  let startCount = 0
  let progressAt = performance.now()
  let lastDone = -1
  for (;;) {
    const now = performance.now()
    const firstCount = await first.metric(counters[0]!)
    if (startedAt === undefined && firstCount > 0) {
      startedAt = now
      startCount = firstCount
    }
    const done = await last.metric(counters.at(-1)!)
    if (done >= total && startedAt !== undefined) return (total - startCount) / ((now - startedAt) / 1000)
    if (done !== lastDone) {
      lastDone = done
      progressAt = now
    }
    if (now - progressAt > STALL_MS) throw new Error(`no progress for ${STALL_MS} ms at ${done} of ${total}`)
    await sleep(POLL_MS)
  }
}

/**
 * Pre-loads the quotes on fresh topics, starts the scenario's services as processes and measures
 * their rate; every quote must come out as a bar, none as a dead letter.
 */
export async function runScenario(
  bus: Bus,
  bootstrap: string,
  scenario: Scenario,
  options: BenchOptions['pipeline'],
): Promise<{ quotesPerSecond: number; producePerSecond: number }> {
  const prefix = `bench-${scenario.key}-${Date.now()}.`
  await bus.ensureTopics(topicSpecs(options.partitions, prefix))
  const records = await benchQuoteRecords(options.quotes, options.symbols, prefix)
  const producePerSecond = await produceAll(bus, records)
  const args = [
    '--kafka',
    bootstrap,
    '--topic-prefix',
    prefix,
    '--exactly-once',
    String(scenario.isExactlyOnce),
  ]
  const services: ServiceProcess[] = []
  try {
    for (const command of scenario.commands)
      services.push(await startServiceProcess(`${scenario.key}-${command}`, command, args))
    const counters = scenario.commands.map((command) => COUNTERS[command])
    const quotesPerSecond = await throughput(services, counters, records.length)
    const processor = services[0]!
    const bars = await processor.metric('quotecast_processor_bars_total')
    const deadLetters = await processor.metric('quotecast_processor_dead_letters_total')
    if (bars !== records.length || deadLetters !== 0)
      throw new Error(`${bars} bars and ${deadLetters} dead letters from ${records.length} quotes`)
    return { quotesPerSecond, producePerSecond }
  } finally {
    await Promise.all(services.map((service) => service.stop()))
  }
}
