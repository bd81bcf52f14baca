import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { topicSpecs } from '../../src/core/contracts/topics.ts'
import type { Bus, OutgoingRecord } from '../../src/platform/bus/bus.ts'
import { PRODUCE_BATCH } from '../pipeline/run-scenario.ts'
import { startEngine, type EngineName } from './engines.ts'
import { cpuSeconds, peakRssBytes } from './process-usage.ts'

const POLL_MS = 200
const STALL_MS = 90_000

export interface ThroughputRun {
  readonly quotesPerSecond: number
  /** CPU seconds (user + system) of the engine's process per million quotes, over the measured span. */
  readonly cpuSecondsPerMillion: number
  /** The process's peak resident set size over its whole run (start-up included). */
  readonly peakRssBytes: number
  readonly settings: string
}

/**
 * Pre-loads `records` (quotes without a topic) on fresh topics, starts the engine and measures,
 * polling both engines the same way every 200 ms, the rate from the first poll that saw a quote
 * taken to the first that saw every one taken: start-up, restore and the group join left out.
 * Every quote must come out as a bar.
 */
export async function measureThroughput(
  bus: Bus,
  engine: EngineName,
  run: {
    readonly bootstrap: string
    readonly classpath: string
    readonly isExactlyOnce: boolean
    readonly partitions: number
    readonly records: readonly OutgoingRecord[]
    readonly label: string
  },
): Promise<ThroughputRun> {
  const prefix = `bench-${run.label}-${Date.now()}.`
  await bus.ensureTopics(topicSpecs(run.partitions, prefix))
  const records = run.records.map((record) => ({ ...record, topic: prefix + record.topic }))
  for (let i = 0; i < records.length; i += PRODUCE_BATCH)
    await bus.produce(records.slice(i, i + PRODUCE_BATCH))
  const running = await startEngine(engine, {
    bootstrap: run.bootstrap,
    topicPrefix: prefix,
    isExactlyOnce: run.isExactlyOnce,
    classpath: run.classpath,
    label: run.label,
  })
  try {
    const total = records.length
    let startedAt: number | undefined
    let startCount = 0
    let startCpu = 0
    let progressAt = performance.now()
    let lastDone = -1
    for (;;) {
      const now = performance.now()
      const { quotes, bars } = await running.counts()
      if (startedAt === undefined && quotes > 0) {
        startedAt = now
        startCount = quotes
        startCpu = cpuSeconds(running.pid)
      }
      if (quotes >= total && startedAt !== undefined) {
        const cpu = cpuSeconds(running.pid) - startCpu
        const measured = total - startCount
        const rss = peakRssBytes(running.pid)
        if (bars !== total) throw new Error(`${engine}: ${bars} bars from ${total} quotes`)
        return {
          quotesPerSecond: measured / ((now - startedAt) / 1000),
          cpuSecondsPerMillion: (cpu / measured) * 1e6,
          peakRssBytes: rss,
          settings: running.settings,
        }
      }
      if (quotes !== lastDone) {
        lastDone = quotes
        progressAt = now
      }
      if (now - progressAt > STALL_MS)
        throw new Error(`${engine}: no progress for ${STALL_MS} ms at ${quotes} of ${total}`)
      await sleep(POLL_MS)
    }
  } finally {
    await running.stop()
  }
}
