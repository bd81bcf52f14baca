import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { err, ok } from '../../core/contracts/result.ts'
import { QuotecastError } from '../errors.ts'
import type { Bus, BusConsumer, OutgoingRecord } from '../bus/bus.ts'
import { MemoryBus } from '../bus/memory-bus.ts'
import { partitionForKey } from '../bus/murmur2.ts'
import { createChangeloggedStore } from './changelogged-store.ts'
import type { PartitionedStage } from './partitioned-stage.ts'
import { runPartitionedLoop } from './run-partitioned-loop.ts'

const text = (bytes: Uint8Array | null): string => new TextDecoder().decode(bytes ?? new Uint8Array())
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value)

/** Counts each key's records: outputs `key:n`, and keeps the counts in a store logged to `counts`. */
function countingStage(bus: Bus): PartitionedStage {
  const counts = createChangeloggedStore<number>({
    bus,
    topic: 'counts',
    codec: {
      encodeAll: (values) => values.map((count) => bytes(String(count))),
      decode: (value) => {
        const count = Number(text(value))
        return Number.isSafeInteger(count) ? ok(count) : err(`not a count: ${text(value)}`)
      },
    },
    service: 'counting',
    topicPrefix: '',
    now: () => 0,
  })
  return {
    stores: [counts],
    process: (records) =>
      records.map((record) => {
        const key = record.key ?? ''
        const count = (counts.get(key) ?? 0) + 1
        counts.put(key, count, record.partition)
        return { topic: 'out', key, value: bytes(`${key}:${count}`) }
      }),
  }
}

/** A broker restart, as the bus reports it: retriable. */
const brokerAway = (number: number): Error =>
  new QuotecastError('BUS_UNAVAILABLE', `commit ${number} failed: the broker is restarting`)

/** The bus, with the commits of the transactions numbered in `failing` (0-based) failing once. */
function withFailingCommits(
  bus: MemoryBus,
  failing: ReadonlySet<number>,
  failure: (number: number) => Error = brokerAway,
  onConsumer: () => void = () => undefined,
): Bus {
  let transactions = 0
  const consumer = async (...args: Parameters<Bus['consumer']>): Promise<BusConsumer> => {
    const inner = await bus.consumer(...args)
    onConsumer()
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
            throw failure(number)
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

async function runCounting(options: {
  failing: ReadonlySet<number>
  failure?: (number: number) => Error
  isExactlyOnce: boolean
  changelog?: readonly OutgoingRecord[]
}) {
  const memory = new MemoryBus()
  const topics = ['in', 'out', 'counts', 'dead-letters']
  await memory.ensureTopics(topics.map((name) => ({ name, partitions: 3, configs: {} })))
  if (options.changelog !== undefined) await memory.produce(options.changelog)
  const keys = ['a', 'b', 'c', 'd', 'e']
  const input = Array.from({ length: 400 }, (_, i) => ({
    topic: 'in',
    key: keys[i % 5]!,
    value: bytes(String(i)),
  }))
  await memory.produce(input)
  let consumers = 0
  const bus = withFailingCommits(memory, options.failing, options.failure, () => consumers++)
  const controller = new AbortController()
  let committed = 0
  const sleptMs: number[] = []
  await runPartitionedLoop({
    bus,
    groupId: 'counting',
    topic: 'in',
    stage: countingStage(bus),
    signal: controller.signal,
    logger: pino({ level: 'silent' }),
    isExactlyOnce: options.isExactlyOnce,
    maxRecords: 37,
    sleep: (ms) => {
      sleptMs.push(ms)
      return Promise.resolve()
    },
    onBatch: (consumed) => {
      committed += consumed
      if (committed >= input.length) controller.abort()
    },
  })
  const out = await memory.readToEnd('out')
  const deadLetters = (await memory.readToEnd('dead-letters')).map((record) => {
    const letter = decodeMessage(deadLetterSchema, record.value)
    assert.ok(letter.ok)
    const { sourceTopic, partition, offset, key, reason, service } = letter.value
    return { sourceTopic, partition, offset, key, reason, service }
  })
  const counts = (await memory.readToEnd('counts')).map((record) => [record.key, text(record.value)] as const)
  return { outputs: out.map((record) => text(record.value)).sort(), deadLetters, counts, sleptMs, consumers }
}

test('each output is published once, failed commits included', async () => {
  const expected = ['a', 'b', 'c', 'd', 'e']
    .flatMap((key) => Array.from({ length: 80 }, (_, i) => `${key}:${i + 1}`))
    .sort()
  assert.deepEqual((await runCounting({ failing: new Set(), isExactlyOnce: true })).outputs, expected)
  // A failed commit drops the in-memory state: it is restored from the changelog and the batch
  // is done again, so nothing is lost and nothing is published twice.
  const failed = await runCounting({ failing: new Set([1, 2, 5]), isExactlyOnce: true })
  assert.deepEqual(failed.outputs, expected)
  assert.deepEqual(failed.deadLetters, [])
  // Retried with backoff, reset by the commit that succeeded between the failures.
  assert.deepEqual(failed.sleptMs, [250, 500, 250])
})

test('a commit refused by a rebalance is redone from the last commit by the same consumer', async () => {
  const expected = (await runCounting({ failing: new Set(), isExactlyOnce: true })).outputs
  const refused = await runCounting({
    failing: new Set([1, 2, 5]),
    isExactlyOnce: true,
    failure: (n) => new QuotecastError('BUS_REBALANCED', `commit ${n} rejected: the group has moved on`),
  })
  assert.deepEqual(refused.outputs, expected)
  assert.deepEqual(refused.deadLetters, [])
  // Leaving the group would start another rebalance: the consumer is kept, and nothing sleeps.
  assert.equal(refused.consumers, 1)
  assert.deepEqual(refused.sleptMs, [])
  // Any other retriable failure recreates it; and so does a fourth refusal in a row.
  assert.equal((await runCounting({ failing: new Set([1, 2, 5]), isExactlyOnce: true })).consumers, 4)
  const again = await runCounting({
    failing: new Set([1, 2, 3, 4]),
    isExactlyOnce: true,
    failure: (n) => new QuotecastError('BUS_REBALANCED', `commit ${n} rejected`),
  })
  assert.deepEqual(again.outputs, expected)
  assert.equal(again.consumers, 2)
})

test('a failure a retry cannot get past stops the loop with that error, the others are retried', async () => {
  const cases: readonly (readonly [string, (number: number) => Error, boolean])[] = [
    ['a rebalance', (n) => new QuotecastError('BUS_FENCED', `commit ${n}: fenced`), true],
    ['a timeout', (n) => new QuotecastError('BUS_TIMEOUT', `commit ${n}: late`), true],
    ['a refused request', (n) => new QuotecastError('BUS_PROTOCOL', `commit ${n}: record too large`), false],
    ['refused credentials', (n) => new QuotecastError('BUS_AUTH', `commit ${n}: SASL failed`), false],
    ['a bug', (n) => new TypeError(`commit ${n}: x is not a function`), false],
  ]
  for (const [name, failure, isRetried] of cases) {
    const thrown: Error[] = []
    const run = runCounting({
      failing: new Set([1]),
      failure: (number) => {
        const error = failure(number)
        thrown.push(error)
        return error
      },
      isExactlyOnce: true,
    })
    if (isRetried) {
      assert.equal((await run).outputs.length, 400, name)
    } else {
      await assert.rejects(run, (error) => error === thrown[0], name)
    }
    assert.equal(thrown.length, 1, name)
  }
})

test('an unreadable changelog value is dead-lettered once, its key starts fresh and the others go on', async () => {
  const changelog = [
    { topic: 'counts', key: 'a', value: bytes('{garbage') },
    { topic: 'counts', key: 'b', value: bytes('1000') },
  ]
  const partitionOfA = partitionForKey('a', 3)
  const expected = ['a', 'b', 'c', 'd', 'e']
    .flatMap((key) => Array.from({ length: 80 }, (_, i) => `${key}:${i + 1 + (key === 'b' ? 1000 : 0)}`))
    .sort()
  // The first transaction, which carries the dead letter, fails: the restore after it finds the
  // value again, and the dead letter is committed once, with the next transaction.
  for (const failing of [new Set<number>(), new Set([0, 3])]) {
    const run = await runCounting({ failing, isExactlyOnce: true, changelog })
    assert.deepEqual(run.outputs, expected)
    assert.deepEqual(run.deadLetters, [
      {
        sourceTopic: 'counts',
        partition: partitionOfA,
        offset: '0',
        key: 'a',
        reason: 'unreadable counts value, its key starts fresh: not a count: {garbage',
        service: 'counting',
      },
    ])
    // The fresh count is the latest value of the key.
    const latest = new Map(run.counts)
    assert.deepEqual([latest.get('a'), latest.get('b')], ['80', '1080'])
  }
})

test('at least once, every output is published', async () => {
  const { outputs } = await runCounting({ failing: new Set(), isExactlyOnce: false })
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
      stores: [],
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
