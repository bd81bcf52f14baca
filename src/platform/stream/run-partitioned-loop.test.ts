import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import type { Bus, BusConsumer, BusRecord, OutgoingRecord, TopicPartition } from '../bus/bus.ts'
import { MemoryBus } from '../bus/memory-bus.ts'
import { runPartitionedLoop, type PartitionedStage } from './run-partitioned-loop.ts'

const text = (bytes: Uint8Array | null): string => new TextDecoder().decode(bytes ?? new Uint8Array())
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value)

/** Counts each key's records: outputs `key:n`, and keeps the counts in a changelog topic. */
function countingStage(bus: Bus): PartitionedStage {
  const counts = new Map<string, { partition: number; count: number }>()
  return {
    async restore(partitions: readonly TopicPartition[]) {
      const records = await bus.readToEnd(
        'counts',
        partitions.map((tp) => tp.partition),
      )
      for (const record of records)
        counts.set(record.key ?? '', { partition: record.partition, count: Number(text(record.value)) })
    },
    forget(partitions) {
      if (partitions === 'all') return counts.clear()
      const lost = new Set(partitions.map((tp) => tp.partition))
      for (const [key, entry] of counts) if (lost.has(entry.partition)) counts.delete(key)
    },
    process(records: readonly BusRecord[]): OutgoingRecord[] {
      const outputs: OutgoingRecord[] = []
      const changed = new Set<string>()
      for (const record of records) {
        const key = record.key ?? ''
        const count = (counts.get(key)?.count ?? 0) + 1
        counts.set(key, { partition: record.partition, count })
        changed.add(key)
        outputs.push({ topic: 'out', key, value: bytes(`${key}:${count}`) })
      }
      for (const key of changed)
        outputs.push({ topic: 'counts', key, value: bytes(String(counts.get(key)?.count)) })
      return outputs
    },
  }
}

/** The bus, with the commits of the transactions numbered in `failing` (0-based) failing once. */
function withFailingCommits(bus: MemoryBus, failing: ReadonlySet<number>): Bus {
  let transactions = 0
  const consumer = async (...args: Parameters<Bus['consumer']>): Promise<BusConsumer> => {
    const inner = await bus.consumer(...args)
    return {
      poll: (options) => inner.poll(options),
      commit: (consumed) => inner.commit(consumed),
      assignment: () => inner.assignment(),
      close: () => inner.close(),
      beginTransaction: async () => {
        const transaction = await inner.beginTransaction()
        const number = transactions++
        if (!failing.has(number)) return transaction
        return {
          send: (records) => transaction.send(records),
          abort: () => transaction.abort(),
          commit: async () => {
            await transaction.abort()
            throw new Error(`commit ${number} failed`)
          },
        }
      },
    }
  }
  return {
    ensureTopics: (specs) => bus.ensureTopics(specs),
    produce: (records) => bus.produce(records),
    consumer,
    readToEnd: (topic, partitions) => bus.readToEnd(topic, partitions),
    partitionOf: (topic, key) => bus.partitionOf(topic, key),
    close: () => bus.close(),
  }
}

async function runCounting(options: { failing: ReadonlySet<number>; isExactlyOnce: boolean }) {
  const memory = new MemoryBus()
  await memory.ensureTopics(['in', 'out', 'counts'].map((name) => ({ name, partitions: 3, configs: {} })))
  const keys = ['a', 'b', 'c', 'd', 'e']
  const input = Array.from({ length: 400 }, (_, i) => ({
    topic: 'in',
    key: keys[i % 5]!,
    value: bytes(String(i)),
  }))
  await memory.produce(input)
  const bus = withFailingCommits(memory, options.failing)
  const controller = new AbortController()
  let committed = 0
  await runPartitionedLoop({
    bus,
    groupId: 'counting',
    topic: 'in',
    stage: countingStage(bus),
    signal: controller.signal,
    logger: pino({ level: 'silent' }),
    isExactlyOnce: options.isExactlyOnce,
    maxRecords: 37,
    sleep: () => Promise.resolve(),
    onBatch: (consumed) => {
      committed += consumed
      if (committed >= input.length) controller.abort()
    },
  })
  const out = await memory.readToEnd('out')
  return out.map((record) => text(record.value)).sort()
}

test('each output is published once, failed commits included', async () => {
  const expected = ['a', 'b', 'c', 'd', 'e']
    .flatMap((key) => Array.from({ length: 80 }, (_, i) => `${key}:${i + 1}`))
    .sort()
  assert.deepEqual(await runCounting({ failing: new Set(), isExactlyOnce: true }), expected)
  // A failed commit drops the in-memory state: it is restored from the changelog and the batch
  // is done again, so nothing is lost and nothing is published twice.
  assert.deepEqual(await runCounting({ failing: new Set([1, 2, 5]), isExactlyOnce: true }), expected)
})

test('at least once, every output is published', async () => {
  const outputs = await runCounting({ failing: new Set(), isExactlyOnce: false })
  assert.equal(outputs.length, 400)
  assert.equal(new Set(outputs).size, 400)
})

test('a busy stream still ticks, after a batch at most once a second, and the tick’s outputs are published', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(['in', 'out'].map((name) => ({ name, partitions: 1, configs: {} })))
  await bus.produce(
    Array.from({ length: 400 }, (_, i) => ({ topic: 'in', key: 'a', value: bytes(String(i)) })),
  )
  const ticks: number[] = []
  let clockMs = -300
  const controller = new AbortController()
  let consumed = 0
  await runPartitionedLoop({
    bus,
    groupId: 'ticking',
    topic: 'in',
    stage: {
      restore: () => Promise.resolve(),
      forget: () => undefined,
      process: () => [],
      tick: (nowMs) => {
        ticks.push(nowMs)
        return [{ topic: 'out', key: 'a', value: bytes(`tick ${nowMs}`) }]
      },
    },
    signal: controller.signal,
    logger: pino({ level: 'silent' }),
    maxRecords: 37,
    now: () => (clockMs += 300),
    sleep: () => Promise.resolve(),
    onBatch: (records) => {
      consumed += records
      if (consumed >= 400) controller.abort()
    },
  })
  // 11 batches, one every 300 ms of the clock: ticks after the 1st, 5th and 9th.
  assert.deepEqual(ticks, [0, 1200, 2400])
  const out = await bus.readToEnd('out')
  assert.deepEqual(
    out.map((record) => text(record.value)),
    ['tick 0', 'tick 1200', 'tick 2400'],
  )
})
