import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import { TOPICS, topicSpecs } from '../../src/core/contracts/topics.ts'
import type { Bus, OutgoingRecord } from '../../src/platform/bus/bus.ts'
import { percentile } from '../support/percentile.ts'
import { quoteOfBar, syntheticBar, type SyntheticSymbol } from '../support/synthetic-symbols.ts'
import { startEngine, type EngineName } from './engines.ts'

const TICK_MS = 10
const DRAIN_MS = 15_000
const WARM_TIMEOUT_MS = 120_000

export interface LatencyFigures {
  readonly rate: number
  readonly sent: number
  readonly seen: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/**
 * One hop: a quote produced → its feature row readable by a read_committed consumer, the engine
 * running as its own process, exactly-once. Each symbol first gets `warmBars` bars (the JIT warm,
 * every state past its windows); then, for each rate in turn, quotes round-robin over the symbols
 * at that rate for `seconds`, every quote completing a daily bar. The clock starts when the quote
 * is handed to the producer and stops when the row comes out of a poll in the same process.
 */
export async function measureOneHop(
  bus: Bus,
  engine: EngineName,
  run: {
    readonly bootstrap: string
    readonly classpath: string
    readonly partitions: number
    readonly specs: readonly SyntheticSymbol[]
    readonly warmBars: number
    readonly rates: readonly number[]
    readonly seconds: number
    readonly label: string
  },
): Promise<LatencyFigures[]> {
  const prefix = `bench-${run.label}-${Date.now()}.`
  await bus.ensureTopics(topicSpecs(run.partitions, prefix))
  const quotesTopic = prefix + TOPICS.quotes
  let k = 0
  let next = 0
  const nextRecord = (): { record: OutgoingRecord; key: string } => {
    const spec = run.specs[next]!
    const bar = syntheticBar(spec, k)
    next = (next + 1) % run.specs.length
    if (next === 0) k++
    return {
      record: { topic: quotesTopic, key: spec.symbol, value: encodeMessage(quoteOfBar(bar)) },
      key: `${spec.symbol}:${bar.start}`,
    }
  }
  const running = await startEngine(engine, {
    bootstrap: run.bootstrap,
    topicPrefix: prefix,
    isExactlyOnce: true,
    classpath: run.classpath,
    label: run.label,
  })
  const consumer = await bus.consumer({ topics: [prefix + TOPICS.features], fromBeginning: true })
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  let seen = 0
  const reader = { isReading: true }
  const decoder = new TextDecoder()
  const reading = (async () => {
    while (reader.isReading) {
      const records = await consumer.poll({ maxWaitMs: 50, maxRecords: 5000 })
      const now = performance.now()
      for (const record of records) {
        seen++
        const row = JSON.parse(decoder.decode(record.value ?? new Uint8Array())) as {
          symbol: string
          barStart: number
        }
        const at = sentAt.get(`${row.symbol}:${row.barStart}`)
        if (at !== undefined) latencies.push(now - at)
      }
    }
  })()
  try {
    const warm: OutgoingRecord[] = []
    for (let i = 0; i < run.warmBars * run.specs.length; i++) warm.push(nextRecord().record)
    await bus.produce(warm)
    const warmDeadline = performance.now() + WARM_TIMEOUT_MS
    while (seen < warm.length) {
      if (performance.now() > warmDeadline)
        throw new Error(`${engine}: ${seen} of ${warm.length} warm-up rows`)
      await sleep(100)
    }
    const figures: LatencyFigures[] = []
    for (const rate of run.rates) {
      latencies.length = 0
      sentAt.clear()
      const total = Math.round(rate * run.seconds)
      const startedAt = performance.now()
      let sent = 0
      while (sent < total) {
        const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * rate) + 1)
        const batch: OutgoingRecord[] = []
        const now = performance.now()
        for (; sent < due; sent++) {
          const { record, key } = nextRecord()
          sentAt.set(key, now)
          batch.push(record)
        }
        if (batch.length > 0) await bus.produce(batch)
        await sleep(TICK_MS)
      }
      const drainUntil = performance.now() + DRAIN_MS
      while (latencies.length < total && performance.now() < drainUntil) await sleep(50)
      figures.push({
        rate,
        sent: total,
        seen: latencies.length,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: Math.max(...latencies),
      })
    }
    return figures
  } finally {
    reader.isReading = false
    await reading.catch(() => undefined)
    await consumer.close()
    await running.stop()
  }
}
