import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { err, ok } from '../../core/contracts/result.ts'
import type { OutgoingRecord } from '../bus/bus.ts'
import { MemoryBus } from '../bus/memory-bus.ts'
import { partitionForKey } from '../bus/murmur2.ts'
import { createChangeloggedStore, type StoreCodec } from './changelogged-store.ts'

const text = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : new TextDecoder().decode(bytes)
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value)
const PARTITIONS = 3
const all = [0, 1, 2].map((partition) => ({ topic: 'in', partition }))
const keysIn = (partition: number) =>
  ['a', 'b', 'c', 'd', 'e', 'f'].filter((key) => partitionForKey(key, PARTITIONS) === partition)

/** Counts as decimal text; the calls of `encodeAll` are recorded. */
function countCodec(calls: number[][] = []): StoreCodec<number> {
  return {
    encodeAll: (values) => {
      calls.push([...values])
      return values.map((count) => bytes(String(count)))
    },
    decode: (value) => {
      if (text(value) === 'throw') throw new Error('codec bug')
      const count = Number(text(value))
      return Number.isSafeInteger(count) ? ok(count) : err(`not a count: ${text(value)}`)
    },
  }
}

async function busWith(changelog: readonly [string, string | null][]) {
  const bus = new MemoryBus()
  await bus.ensureTopics(
    ['counts', 'dead-letters'].map((name) => ({ name, partitions: PARTITIONS, configs: {} })),
  )
  await bus.produce(
    changelog.map(([key, value]) => ({ topic: 'counts', key, value: value === null ? null : bytes(value) })),
  )
  return bus
}

function storeOn(bus: MemoryBus, calls?: number[][], unreadable?: string[]) {
  return createChangeloggedStore<number>({
    bus,
    topic: 'counts',
    codec: countCodec(calls),
    service: 'counting',
    topicPrefix: '',
    now: () => 7,
    ...(unreadable === undefined ? {} : { onUnreadable: (value) => unreadable.push(value.key) }),
  })
}

const flushed = (store: { flush(outputs: OutgoingRecord[]): void }) => {
  const outputs: OutgoingRecord[] = []
  store.flush(outputs)
  return outputs
}

const contents = (store: ReturnType<typeof storeOn>) =>
  [...store.entries()].map((entry) => [entry.key, entry.partition, entry.value]).sort()

test('restore reads the assigned partitions to the end: the latest value of each key, tombstones removing it', async () => {
  const bus = await busWith([
    ['a', '1'],
    ['b', '2'],
    ['a', '3'],
    ['c', '4'],
    ['c', null],
    ['d', '5'],
  ])
  const store = storeOn(bus)
  const [first, second, third] = all
  assert.deepEqual(await store.restore([second!]), { unreadable: [] })
  const expected = [
    ['a', partitionForKey('a', PARTITIONS), 3],
    ['b', partitionForKey('b', PARTITIONS), 2],
    ['d', partitionForKey('d', PARTITIONS), 5],
  ] as const
  assert.deepEqual(
    contents(store),
    expected.filter(([, partition]) => partition === 1),
  )
  await store.restore([first!, third!])
  assert.deepEqual(contents(store), [...expected])
  assert.equal(store.size, 3)
  assert.equal(store.get('c'), undefined)
  assert.deepEqual(flushed(store), [], 'a restore changes nothing to log')
})

test('forget drops the keys of the partitions given away, and what they had not flushed', async () => {
  const bus = await busWith(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => [key, '1']))
  const store = storeOn(bus)
  await store.restore(all)
  for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) store.put(key, 2, partitionForKey(key, PARTITIONS))
  store.forget([{ topic: 'in', partition: 1 }])
  const kept = [...keysIn(0), ...keysIn(2)].sort()
  assert.deepEqual(
    contents(store).map(([key]) => key),
    kept,
  )
  assert.deepEqual(
    flushed(store)
      .map((record) => record.key)
      .sort(),
    kept,
  )
  store.forget('all')
  assert.equal(store.size, 0)
  assert.deepEqual(flushed(store), [])
})

test('flush writes each changed key once, its latest value, all of them encoded in one call', async () => {
  const bus = await busWith([['a', '10']])
  const calls: number[][] = []
  const store = storeOn(bus, calls)
  await store.restore(all)
  const pa = partitionForKey('a', PARTITIONS)
  const pb = partitionForKey('b', PARTITIONS)
  store.put('a', (store.get('a') ?? 0) + 1, pa)
  store.put('b', 1, pb)
  store.put('a', (store.get('a') ?? 0) + 1, pa)
  assert.deepEqual(
    flushed(store).map((record) => [record.topic, record.key, text(record.value)]),
    [
      ['counts', 'a', '12'],
      ['counts', 'b', '1'],
    ],
  )
  assert.deepEqual(calls, [[12, 1]])
  assert.deepEqual(flushed(store), [], 'nothing changed since')
  assert.deepEqual(calls, [[12, 1]], 'and nothing encoded')
  store.delete('b')
  store.delete('nothing')
  store.put('c', 5, 0)
  store.delete('c')
  assert.deepEqual(
    flushed(store).map((record) => [record.key, record.value]),
    [
      ['b', null],
      ['c', null],
    ],
    'a deleted key is a tombstone',
  )
  assert.equal(store.get('b'), undefined)
})

test('an unreadable value is dead-lettered with where it was, its key starts fresh, the other keys are restored', async () => {
  const bus = await busWith([
    ['a', '1'],
    ['b', '{corrupt'],
    ['c', '3'],
    ['d', 'throw'],
    ['e', 'bad, then superseded'],
    ['e', '5'],
  ])
  const records = await bus.readToEnd('counts')
  const at = (key: string, value: string) =>
    records.find((record) => record.key === key && text(record.value) === value)!
  const unreadable: string[] = []
  const store = storeOn(bus, undefined, unreadable)
  const restored = await store.restore(all)
  assert.deepEqual(
    restored.unreadable.map(({ topic, partition, offset, key, reason }) => [
      topic,
      partition,
      offset,
      key,
      reason,
    ]),
    [
      ['counts', at('b', '{corrupt').partition, at('b', '{corrupt').offset, 'b', 'not a count: {corrupt'],
      [
        'counts',
        at('d', 'throw').partition,
        at('d', 'throw').offset,
        'd',
        'decoding threw: Error: codec bug',
      ],
    ].sort((x, y) => (x[1] as number) - (y[1] as number) || Number((x[2] as bigint) - (y[2] as bigint))),
  )
  assert.deepEqual(unreadable.sort(), ['b', 'd'], 'counted once each')
  assert.deepEqual(
    contents(store).map(([key, , value]) => [key, value]),
    [
      ['a', 1],
      ['c', 3],
      ['e', 5],
    ],
  )
  assert.equal(store.get('b'), undefined, 'fresh')

  // b gets a fresh value in the first batch; d does not, so its bad value is covered by a tombstone.
  store.put('b', 1, partitionForKey('b', PARTITIONS))
  const outputs = flushed(store)
  const letters = outputs
    .filter((record) => record.topic === 'dead-letters')
    .map((record) => {
      const letter = decodeMessage(deadLetterSchema, record.value)
      assert.ok(letter.ok)
      return [record.key, letter.value] as const
    })
    .sort(([x], [y]) => x.localeCompare(y))
  assert.deepEqual(
    letters.map(([key, letter]) => [key, letter.sourceTopic, letter.partition, letter.offset, letter.key]),
    [
      ['b', 'counts', at('b', '{corrupt').partition, String(at('b', '{corrupt').offset), 'b'],
      ['d', 'counts', at('d', 'throw').partition, String(at('d', 'throw').offset), 'd'],
    ],
  )
  assert.deepEqual(letters[0]?.[1], {
    schema: letters[0]?.[1].schema,
    sourceTopic: 'counts',
    partition: at('b', '{corrupt').partition,
    offset: String(at('b', '{corrupt').offset),
    key: 'b',
    reason: 'unreadable counts value, its key starts fresh: not a count: {corrupt',
    valueBase64: Buffer.from('{corrupt').toString('base64'),
    failedAt: 7,
    service: 'counting',
  })
  assert.deepEqual(
    outputs.filter((record) => record.topic === 'counts').map((record) => [record.key, text(record.value)]),
    [
      ['b', '1'],
      ['d', null],
    ],
  )
  assert.deepEqual(flushed(store), [], 'the dead letters are flushed once')

  // Committed, the flush leaves nothing unreadable for the next restore.
  await bus.produce(outputs)
  const again = storeOn(bus)
  assert.deepEqual(await again.restore(all), { unreadable: [] })
  assert.deepEqual(
    contents(again).map(([key, , value]) => [key, value]),
    [
      ['a', 1],
      ['b', 1],
      ['c', 3],
      ['e', 5],
    ],
  )
})

test('the dead letters of a restore are dropped with their partition or a restart, to be found again by the next restore', async () => {
  const bus = await busWith([
    ['a', 'x'],
    ['b', 'x'],
    ['c', 'x'],
    ['d', 'x'],
    ['e', 'x'],
    ['f', 'x'],
  ])
  const store = storeOn(bus)
  assert.equal((await store.restore(all)).unreadable.length, 6)
  store.forget([{ topic: 'in', partition: 0 }])
  const keys = (outputs: OutgoingRecord[], topic: string) =>
    outputs
      .filter((record) => record.topic === topic)
      .map((record) => record.key)
      .sort()
  const rest = [...keysIn(1), ...keysIn(2)].sort()
  const outputs = flushed(store)
  assert.deepEqual(keys(outputs, 'dead-letters'), rest)
  assert.deepEqual(keys(outputs, 'counts'), rest, 'with their tombstones')
  await store.restore(all)
  store.forget('all')
  assert.deepEqual(flushed(store), [])
})
