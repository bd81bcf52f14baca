import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from '@platformatic/kafka'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodePartition } from './decode-partition.ts'

const T0 = 1_735_800_000_000n

function batch(
  firstOffset: bigint,
  values: readonly (string | null)[],
  options: { producerId?: bigint; attributes?: number; key?: Buffer | null } = {},
): RecordsBatch {
  return {
    firstOffset,
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: options.attributes ?? 0,
    lastOffsetDelta: values.length - 1,
    firstTimestamp: T0 + firstOffset,
    maxTimestamp: T0 + 999n,
    producerId: options.producerId ?? -1n,
    producerEpoch: 0,
    firstSequence: 0,
    records: values.map((value, index) => ({
      length: 0,
      attributes: 0,
      timestampDelta: BigInt(index),
      offsetDelta: index,
      key: options.key === undefined ? Buffer.from(`K${firstOffset + BigInt(index)}`) : options.key,
      value: value === null ? null : Buffer.from(value),
      headers: [[Buffer.from('source'), Buffer.from('test')]],
    })),
  }
}

const TXN = IS_TRANSACTIONAL
const marker = (offset: bigint, producerId: bigint, type: 'abort' | 'commit'): RecordsBatch =>
  batch(offset, [''], {
    producerId,
    attributes: TXN | IS_CONTROL,
    key: Buffer.from([0, 0, 0, type === 'abort' ? 0 : 1]),
  })

const summary = (decoded: ReturnType<typeof decodePartition>): unknown => ({
  records: decoded.records.map((record) => [
    record.offset,
    record.key,
    record.value === null ? null : new TextDecoder().decode(record.value),
  ]),
  nextOffset: decoded.nextOffset,
})

test('a plain batch becomes records with key, value, headers and timestamps', () => {
  const decoded = decodePartition('quotes', 2, 0n, { records: [batch(0n, ['a', null])] })
  assert.deepEqual(decoded.records, [
    {
      topic: 'quotes',
      partition: 2,
      offset: 0n,
      key: 'K0',
      value: new Uint8Array(Buffer.from('a')),
      timestamp: Number(T0),
      headers: { source: 'test' },
    },
    {
      topic: 'quotes',
      partition: 2,
      offset: 1n,
      key: 'K1',
      value: null,
      timestamp: Number(T0) + 1,
      headers: { source: 'test' },
    },
  ])
  assert.equal(decoded.nextOffset, 2n)
})

test('records before the fetch offset are dropped, and the broker time is used when the topic keeps it', () => {
  const decoded = decodePartition('quotes', 0, 5n, {
    records: [batch(3n, ['a', 'b', 'c', 'd'], { attributes: 1 << 3 })],
  })
  assert.deepEqual(summary(decoded), {
    records: [
      [5n, 'K5', 'c'],
      [6n, 'K6', 'd'],
    ],
    nextOffset: 7n,
  })
  assert.deepEqual(
    decoded.records.map((record) => record.timestamp),
    [Number(T0 + 999n), Number(T0 + 999n)],
  )
})

test('aborted transactions are skipped, also two of one producer in one response; commits are kept', () => {
  const decoded = decodePartition('bars', 1, 0n, {
    abortedTransactions: [
      { producerId: 7n, firstOffset: 6n },
      { producerId: 7n, firstOffset: 1n },
    ],
    records: [
      batch(0n, ['plain']),
      batch(1n, ['aborted-1', 'aborted-2'], { producerId: 7n, attributes: TXN }),
      marker(3n, 7n, 'abort'),
      batch(4n, ['committed'], { producerId: 8n, attributes: TXN }),
      marker(5n, 8n, 'commit'),
      batch(6n, ['aborted-3'], { producerId: 7n, attributes: TXN }),
      marker(7n, 7n, 'abort'),
      batch(8n, ['committed-later'], { producerId: 7n, attributes: TXN }),
      marker(9n, 7n, 'commit'),
    ],
  })
  assert.deepEqual(summary(decoded), {
    records: [
      [0n, 'K0', 'plain'],
      [4n, 'K4', 'committed'],
      [8n, 'K8', 'committed-later'],
    ],
    nextOffset: 10n,
  })
})

test('an aborted transaction cut off before its marker stays skipped; the next fetch starts after it', () => {
  const decoded = decodePartition('bars', 1, 0n, {
    abortedTransactions: [{ producerId: 7n, firstOffset: 0n }],
    records: [batch(0n, ['aborted'], { producerId: 7n, attributes: TXN })],
  })
  assert.deepEqual(summary(decoded), { records: [], nextOffset: 1n })
})

test('no batches: nothing read, the position stays', () => {
  assert.deepEqual(summary(decodePartition('bars', 0, 12n, { records: null })), {
    records: [],
    nextOffset: 12n,
  })
})
