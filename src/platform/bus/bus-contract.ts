import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema, type Quote } from '../../core/contracts/quote.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import {
  produceAndCommit,
  type Bus,
  type BusConsumer,
  type BusRecord,
  type ConsumerOptions,
  type OutgoingRecord,
  type TopicPartition,
} from './bus.ts'
import { toDeadLetter } from './dead-letter.ts'
import { partitionForKey } from './murmur2.ts'

export interface ContractBus {
  readonly bus: Bus
  /** Prefix of every topic and group a test creates: fresh for each call of `makeBus`. */
  readonly topicPrefix: string
  cleanup(): Promise<void>
}

const TEST_TIMEOUT_MS = 60_000
/** How long a test waits for records that should arrive; a real broker needs a few seconds at worst. */
let waitMs = 20_000
const encoder = new TextEncoder()
const decoder = new TextDecoder()

const bytes = (text: string): Uint8Array => encoder.encode(text)
const textOf = (record: BusRecord): string | null =>
  record.value === null ? null : decoder.decode(record.value)
const where = (record: BusRecord): string => `${record.topic}/${record.partition}/${record.offset}`
const tpKey = (tp: TopicPartition): string => `${tp.topic}/${tp.partition}`
const sortedTps = (tps: readonly TopicPartition[]): string[] => tps.map(tpKey).sort()
const out = (topic: string, key: string, value: string | null): OutgoingRecord => ({
  topic,
  key,
  value: value === null ? null : bytes(value),
})

/** Keys that cover every partition `perPartition` times, found through the Java partitioner. */
function keysCovering(partitions: number, perPartition: number): string[] {
  const counts = new Array<number>(partitions).fill(0)
  const keys: string[] = []
  for (let index = 0; counts.some((count) => count < perPartition); index++) {
    const key = `SYM${index}`
    const partition = partitionForKey(key, partitions)
    if ((counts[partition] ?? 0) < perPartition) {
      counts[partition] = (counts[partition] ?? 0) + 1
      keys.push(key)
    }
  }
  return keys
}

/** A consumer whose callbacks are recorded, and which checks that no record precedes its partition's onAssigned. */
class Member {
  readonly assigned: TopicPartition[][] = []
  readonly revoked: TopicPartition[][] = []
  readonly received: BusRecord[] = []
  readonly #announced = new Set<string>()
  consumer!: BusConsumer

  static async join(bus: Bus, options: ConsumerOptions): Promise<Member> {
    const member = new Member()
    member.consumer = await bus.consumer({
      ...options,
      onAssigned: (partitions) => {
        member.assigned.push([...partitions])
        for (const tp of partitions) member.#announced.add(tpKey(tp))
        return Promise.resolve()
      },
      onRevoked: (partitions) => {
        member.revoked.push([...partitions])
        for (const tp of partitions) member.#announced.delete(tpKey(tp))
        return Promise.resolve()
      },
    })
    return member
  }

  async poll(maxWaitMs = 200): Promise<readonly BusRecord[]> {
    const records = await this.consumer.poll({ maxWaitMs })
    for (const record of records) {
      assert.ok(
        this.#announced.has(tpKey(record)),
        `record ${where(record)} returned before onAssigned of its partition`,
      )
    }
    this.received.push(...records)
    return records
  }

  /** Polls until `count` records came in this call, then checks that one more poll brings nothing. */
  async pollExactly(count: number): Promise<BusRecord[]> {
    const got: BusRecord[] = []
    const deadline = Date.now() + waitMs
    while (got.length < count && Date.now() < deadline) got.push(...(await this.poll()))
    assert.equal(got.length, count, `expected ${count} records, got ${got.map(where).join(' ')}`)
    assert.deepEqual((await this.poll(300)).map(where), [], 'no record beyond the expected ones')
    return got
  }
}

/** A committed transaction's records become visible once its markers are written: soon, not at once. */
async function eventually<T>(
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const value = await read()
    if (isDone(value)) return value
    assert.ok(
      Date.now() < deadline,
      `timed out waiting for ${what}: ${JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function pollUntil(members: readonly Member[], isDone: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + waitMs
  while (!isDone()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`)
    for (const member of members) await member.poll(100)
  }
}

/** Offsets per partition must rise, and each key's values keep the order they were produced in. */
function assertOrdered(records: readonly BusRecord[]): void {
  const lastOffset = new Map<number, bigint>()
  for (const record of records) {
    const previous = lastOffset.get(record.partition)
    assert.ok(previous === undefined || previous < record.offset, `offsets out of order at ${where(record)}`)
    lastOffset.set(record.partition, record.offset)
  }
}

const quote = (id: string, price: number): Quote => ({
  schema: 1,
  id,
  symbol: 'AAPL',
  exchange: 'NASDAQ',
  currency: 'USD',
  kind: 'snapshot',
  price,
  asOf: Date.UTC(2025, 0, 2, 15, 0),
  fetchedAt: Date.UTC(2025, 0, 2, 15, 0, 1),
  source: 'contract',
})

/**
 * The semantics every Bus must have, proved against a real implementation. `makeBus` is called once
 * per test; each test creates its own topics and groups under the prefix it returns.
 */
export function busContractSuite(
  name: string,
  makeBus: () => Promise<ContractBus>,
  options: { readonly waitMs?: number } = {},
): void {
  const withBus = async (run: (bus: Bus, prefix: string) => Promise<void>): Promise<void> => {
    waitMs = options.waitMs ?? 20_000
    const context = await makeBus()
    try {
      await run(context.bus, context.topicPrefix)
    } finally {
      await context.cleanup()
    }
  }
  const spec = (topic: string, partitions: number, configs: Record<string, string> = {}) => ({
    name: topic,
    partitions,
    configs,
  })

  describe(`Bus contract: ${name}`, () => {
    test(
      'places each key in partitionOf(key), the Java client murmur2 partition',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}placement`
          await bus.ensureTopics([spec(topic, 4)])
          await bus.ensureTopics([spec(topic, 4)])
          const keys = Array.from({ length: 40 }, (_, index) => `SYM${index}`)
          for (const key of keys)
            assert.equal(await bus.partitionOf(topic, key), partitionForKey(key, 4), key)
          await bus.produce(keys.map((key) => out(topic, key, key)))
          const records = await bus.readToEnd(topic)
          assert.deepEqual(records.map((record) => record.key).sort(), [...keys].sort())
          for (const record of records)
            assert.equal(record.partition, partitionForKey(record.key ?? '', 4), where(record))
          assert.equal(
            new Set(records.map((record) => record.partition)).size,
            4,
            'the keys spread over every partition',
          )
        }),
    )

    test(
      'a topic that was never created is an error, reported at once as a rejection',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const missing = `${prefix}never-created`
          const startedAt = Date.now()
          await assert.rejects(() => bus.produce([out(missing, 'k', 'v')]))
          await assert.rejects(() => bus.consumer({ topics: [missing] }))
          await assert.rejects(() => bus.consumer({ groupId: `${prefix}never`, topics: [missing] }))
          await assert.rejects(() => bus.readToEnd(missing))
          await assert.rejects(() => bus.partitionOf(missing, 'k'))
          assert.ok(Date.now() - startedAt < 5000, 'no waiting for a topic to appear')
        }),
    )

    test(
      'keeps per-key order over many keys and partitions; a consumer without a group reads them all',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}ordering`
          await bus.ensureTopics([spec(topic, 4)])
          const keys = keysCovering(4, 3)
          for (let round = 0; round < 10; round++) {
            const batch = keys.flatMap((key) =>
              [0, 1, 2].map((step) => out(topic, key, String(round * 3 + step))),
            )
            await bus.produce(batch)
          }
          const reader = await Member.join(bus, { topics: [topic] })
          const records = await reader.pollExactly(keys.length * 30)
          assert.deepEqual(reader.assigned.map(sortedTps), [
            sortedTps([0, 1, 2, 3].map((partition) => ({ topic, partition }))),
          ])
          assertOrdered(records)
          for (const key of keys) {
            const ofKey = records.filter((record) => record.key === key)
            assert.deepEqual(
              ofKey.map(textOf),
              Array.from({ length: 30 }, (_, index) => String(index)),
              key,
            )
            assert.ok(
              ofKey.every((record) => record.partition === partitionForKey(key, 4)),
              key,
            )
          }
          await reader.consumer.close()
        }),
    )

    test(
      'a consumer starting at the end reads only what is produced after it was created',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}latest`
          await bus.ensureTopics([spec(topic, 2)])
          await bus.produce(['old-1', 'old-2', 'old-3'].map((value) => out(topic, value, value)))
          const reader = await Member.join(bus, { topics: [topic], fromBeginning: false })
          const grouped = await Member.join(bus, {
            topics: [topic],
            fromBeginning: false,
            groupId: `${prefix}latest-group`,
          })
          await bus.produce(['new-1', 'new-2'].map((value) => out(topic, value, value)))
          assert.deepEqual((await reader.pollExactly(2)).map(textOf).sort(), ['new-1', 'new-2'])
          assert.deepEqual((await grouped.pollExactly(2)).map(textOf).sort(), ['new-1', 'new-2'])
          await reader.consumer.close()
          await grouped.consumer.close()
        }),
    )

    test(
      'a new group member resumes from the committed offsets: nothing lost, nothing repeated',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}resume`
          const groupId = `${prefix}resume-group`
          await bus.ensureTopics([spec(topic, 2)])
          const keys = keysCovering(2, 5)
          await bus.produce(keys.map((key, index) => out(topic, key, `v${index}`)))
          const first = await Member.join(bus, { groupId, topics: [topic] })
          const all = await first.pollExactly(keys.length)
          const committed = all.filter((record) => record.offset < 2n)
          await first.consumer.commit(committed)
          await first.consumer.close()

          const second = await Member.join(bus, { groupId, topics: [topic] })
          const rest = await second.pollExactly(all.length - committed.length)
          const expected = all.filter((record) => record.offset >= 2n).map(where)
          assert.deepEqual(rest.map(where).sort(), expected.sort())
          await second.consumer.close()
        }),
    )

    test(
      'two members of a group split the partitions, and one takes all when the other leaves',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}split`
          const groupId = `${prefix}split-group`
          await bus.ensureTopics([spec(topic, 4)])
          await bus.produce(keysCovering(4, 2).map((key) => out(topic, key, key)))
          const all = sortedTps([0, 1, 2, 3].map((partition) => ({ topic, partition })))

          const a = await Member.join(bus, { groupId, topics: [topic] })
          await pollUntil([a], () => a.received.length === 8, 'the first member to read everything')
          assert.deepEqual(sortedTps(a.consumer.assignment()), all)

          const b = await Member.join(bus, { groupId, topics: [topic] })
          // Until it polls, a member may still list partitions the group already gave away.
          const isSplit = (): boolean =>
            a.consumer.assignment().length > 0 &&
            b.consumer.assignment().length > 0 &&
            new Set([...a.consumer.assignment(), ...b.consumer.assignment()].map(tpKey)).size === 4 &&
            a.consumer.assignment().length + b.consumer.assignment().length === 4
          await pollUntil([a, b], isSplit, 'both members to own partitions, each its own')
          const ofA = sortedTps(a.consumer.assignment())
          const ofB = sortedTps(b.consumer.assignment())
          assert.deepEqual([...ofA, ...ofB].sort(), all, 'every partition owned by exactly one member')
          assert.deepEqual(b.assigned.flat().map(tpKey).sort(), ofB)
          const revokedFromA = new Set(a.revoked.flat().map(tpKey))
          assert.ok(
            ofB.every((key) => revokedFromA.has(key)),
            'the first member was told what it lost',
          )
          await pollUntil(
            [b],
            () => b.received.length === 4,
            "the second member to read its partitions' records",
          )
          assert.ok(b.received.every((record) => ofB.includes(tpKey(record))))

          await a.consumer.close()
          await pollUntil(
            [b],
            () => b.consumer.assignment().length === 4,
            'the remaining member to own everything',
          )
          assert.deepEqual(b.assigned.flat().map(tpKey).sort(), all)
          await b.consumer.close()
        }),
    )

    test(
      'a transaction commits records and consumed offsets together; an aborted one leaves no trace',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const input = `${prefix}tx-in`
          const output = `${prefix}tx-out`
          const groupId = `${prefix}tx-group`
          await bus.ensureTopics([spec(input, 2), spec(output, 2)])
          await bus.produce(['a', 'b', 'c', 'd'].map((key) => out(input, key, key)))
          const worker = await Member.join(bus, { groupId, topics: [input] })
          const batch = await worker.pollExactly(4)

          const aborted = await worker.consumer.beginTransaction()
          await aborted.send(
            batch.map((record) => out(output, record.key ?? '', `aborted-${textOf(record) ?? ''}`)),
          )
          await aborted.abort()
          const redelivered = await worker.pollExactly(4)
          assert.deepEqual(
            redelivered.map(where).sort(),
            batch.map(where).sort(),
            'an abort redelivers its records',
          )

          const results = redelivered.map((record) =>
            out(output, record.key ?? '', `committed-${textOf(record) ?? ''}`),
          )
          await produceAndCommit(worker.consumer, results, redelivered)
          const expected = ['committed-a', 'committed-b', 'committed-c', 'committed-d']
          const visible = await eventually(
            () => bus.readToEnd(output),
            (records) => records.length >= 4,
            'the results',
          )
          assert.deepEqual(visible.map(textOf).sort(), expected)
          const reader = await Member.join(bus, { topics: [output] })
          assert.deepEqual((await reader.pollExactly(4)).map(textOf).sort(), expected)
          await worker.consumer.close()

          const next = await Member.join(bus, { groupId, topics: [input] })
          await bus.produce([out(input, 'e', 'e')])
          assert.deepEqual(
            (await next.pollExactly(1)).map(textOf),
            ['e'],
            'resumes after the committed offsets',
          )
          await next.consumer.close()
          await reader.consumer.close()
        }),
    )

    test(
      'a member that lost partitions in a rebalance cannot commit a transaction for them',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const input = `${prefix}fence-in`
          const output = `${prefix}fence-out`
          const groupId = `${prefix}fence-group`
          await bus.ensureTopics([spec(input, 2), spec(output, 1)])
          const keys = keysCovering(2, 2)
          await bus.produce(keys.map((key) => out(input, key, key)))
          const a = await Member.join(bus, { groupId, topics: [input] })
          const batch = await a.pollExactly(keys.length)
          const b = await Member.join(bus, { groupId, topics: [input] })

          const zombie = batch.map((record) => out(output, record.key ?? '', 'zombie'))
          await assert.rejects(produceAndCommit(a.consumer, zombie, batch))
          assert.deepEqual(await bus.readToEnd(output), [])

          await pollUntil(
            [a, b],
            () => b.received.length > 0 && b.consumer.assignment().length > 0,
            'the new member',
          )
          await pollUntil(
            [a, b],
            () => b.received.length === 2 * b.consumer.assignment().length,
            'its records',
          )
          const owned = new Set(b.consumer.assignment().map(tpKey))
          const redone = batch.filter((record) => owned.has(tpKey(record))).map(where)
          assert.deepEqual(
            b.received.map(where).sort(),
            redone.sort(),
            'the new owner starts where nothing was committed',
          )
          await a.consumer.close()
          await b.consumer.close()
        }),
    )

    test(
      'reading a compacted topic from the start and keeping the last value per key gives the latest values',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}compacted`
          await bus.ensureTopics([
            spec(topic, 2, { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0' }),
          ])
          const writes: [string, string | null][] = [
            ['k1', 'v1'],
            ['k2', 'v1'],
            ['k1', 'v2'],
            ['k3', 'v1'],
            ['k3', null],
            ['k2', 'v2'],
            ['k1', 'v3'],
          ]
          for (const [key, value] of writes) await bus.produce([out(topic, key, value)])
          const latest = new Map<string, string>()
          for (const record of await bus.readToEnd(topic)) {
            assert.equal(record.partition, partitionForKey(record.key ?? '', 2))
            const value = textOf(record)
            if (value === null) latest.delete(record.key ?? '')
            else latest.set(record.key ?? '', value)
          }
          assert.deepEqual(Object.fromEntries(latest), { k1: 'v3', k2: 'v2' })
        }),
    )

    test(
      'readToEnd returns every committed record up to the end at call time, then stops',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}to-end`
          await bus.ensureTopics([spec(topic, 3)])
          const first = Array.from({ length: 30 }, (_, index) =>
            out(topic, `K${index % 7}`, `first-${index}`),
          )
          await bus.produce(first)
          const all = await bus.readToEnd(topic)
          assert.deepEqual(
            all.map(textOf).sort(),
            first.map((record) => decoder.decode(record.value ?? bytes(''))).sort(),
          )
          assertOrdered(all)
          for (const partition of [0, 1, 2]) {
            const ofPartition = all.filter((record) => record.partition === partition).map(where)
            assert.deepEqual((await bus.readToEnd(topic, [partition])).map(where), ofPartition)
          }

          await bus.produce([out(topic, 'K1', 'second')])
          assert.equal((await bus.readToEnd(topic)).length, 31)
          // A transaction open during the read never shows its records if it aborts. (Kafka waits
          // for its outcome, so that one left open cannot hide what commits after it.)
          const writer = await bus.consumer({ groupId: `${prefix}to-end-group`, topics: [topic] })
          const aborting = await writer.beginTransaction()
          await aborting.send([out(topic, 'K2', 'aborted')])
          const reading = bus.readToEnd(topic)
          await aborting.abort()
          assert.deepEqual(
            (await reading).map(textOf).sort(),
            [...(await bus.readToEnd(topic)).map(textOf)].sort(),
          )
          assert.equal((await reading).length, 31)
          const committing = await writer.beginTransaction()
          await committing.send([out(topic, 'K2', 'committed')])
          await committing.commit([])
          const after = await eventually(
            () => bus.readToEnd(topic),
            (records) => records.length >= 32,
            'the commit',
          )
          assert.equal(after.length, 32)
          assert.deepEqual(
            after.map(textOf).filter((value) => value === 'committed' || value === 'aborted'),
            ['committed'],
          )
          await writer.close()
        }),
    )

    test(
      'a message that fails its schema goes to the dead letters with its reason and bytes; the next is read',
      { timeout: TEST_TIMEOUT_MS },
      () =>
        withBus(async (bus, prefix) => {
          const topic = `${prefix}quotes`
          const deadLetters = `${prefix}${TOPICS.deadLetters}`
          await bus.ensureTopics([spec(topic, 1), spec(deadLetters, 1)])
          const notJson = bytes('{"symbol":"AAPL",')
          const wrongShape = encodeMessage({ schema: 1, symbol: 'AAPL', price: -1 })
          await bus.produce([
            { topic, key: 'AAPL', value: encodeMessage(quote('q1', 190.5)) },
            { topic, key: 'AAPL', value: notJson },
            { topic, key: 'AAPL', value: wrongShape },
            { topic, key: 'AAPL', value: encodeMessage(quote('q2', 191.25)) },
          ])
          const worker = await Member.join(bus, { groupId: `${prefix}dlq-group`, topics: [topic] })
          const records = await worker.pollExactly(4)
          const good: Quote[] = []
          const letters: OutgoingRecord[] = []
          for (const record of records) {
            const decoded = decodeMessage(quoteSchema, record.value)
            if (decoded.ok) good.push(decoded.value)
            else letters.push(toDeadLetter(record, decoded.error, 'contract', Date.UTC(2025, 0, 3), prefix))
          }
          await produceAndCommit(worker.consumer, letters, records)
          assert.deepEqual(
            good.map((q) => q.id),
            ['q1', 'q2'],
          )

          const stored = await eventually(
            () => bus.readToEnd(deadLetters),
            (records) => records.length >= 2,
            'dead letters',
          )
          assert.deepEqual(
            stored.map((record) => record.key),
            ['AAPL', 'AAPL'],
          )
          const parsed = stored.map((record) => deadLetterSchema.parse(JSON.parse(textOf(record) ?? '')))
          const wrongShapeReason = decodeMessage(quoteSchema, wrongShape)
          assert.ok(!wrongShapeReason.ok)
          assert.deepEqual(
            parsed.map((letter) => [
              letter.sourceTopic,
              letter.partition,
              letter.offset,
              letter.key,
              letter.service,
            ]),
            [
              [topic, 0, '1', 'AAPL', 'contract'],
              [topic, 0, '2', 'AAPL', 'contract'],
            ],
          )
          const [notJsonLetter, wrongShapeLetter] = parsed
          assert.ok(notJsonLetter !== undefined && wrongShapeLetter !== undefined)
          assert.match(notJsonLetter.reason, /^message is not JSON/)
          assert.equal(wrongShapeLetter.reason, wrongShapeReason.error)
          assert.deepEqual(Buffer.from(notJsonLetter.valueBase64, 'base64'), Buffer.from(notJson))
          assert.deepEqual(Buffer.from(wrongShapeLetter.valueBase64, 'base64'), Buffer.from(wrongShape))
          await worker.consumer.close()

          const again = await Member.join(bus, { groupId: `${prefix}dlq-group`, topics: [topic] })
          assert.deepEqual(await again.pollExactly(0), [], 'all four were committed with the dead letters')
          await again.consumer.close()
        }),
    )
  })
}
