import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OutgoingRecord } from '../bus.ts'
import { partitionForKey } from '../murmur2.ts'
import { chunkByPartition } from './chunk-by-partition.ts'

const record = (topic: string, key: string, bytes: number): OutgoingRecord => ({
  topic,
  key,
  value: new Uint8Array(bytes),
})

// Two keys of different partitions out of 4, found once: chunking must tell them apart.
const keys = ['a', 'b', 'c', 'd', 'e', 'f'].filter(
  (key, _, all) =>
    all.findIndex((other) => partitionForKey(other, 4) === partitionForKey(key, 4)) === all.indexOf(key),
)
const [k1, k2] = keys as [string, string]

test('records of different partitions share a chunk while each partition stays under its limit', () => {
  const records = [record('t', k1, 300), record('t', k2, 300), record('t', k1, 300), record('t', k2, 300)]
  const chunks = chunkByPartition(records, () => 4, 1000)
  assert.deepEqual(
    chunks.map((chunk) => chunk.length),
    [4],
  )
})

test('a partition over its limit starts the next chunk, order kept', () => {
  const records = [record('t', k1, 300), record('t', k1, 300), record('t', k2, 300), record('t', k1, 300)]
  const chunks = chunkByPartition(records, () => 4, 1000)
  assert.deepEqual(chunks, [[records[0], records[1], records[2]], [records[3]]])
})

test('the same key in two topics counts as two partitions', () => {
  const records = [record('t', k1, 300), record('u', k1, 300), record('t', k1, 300)]
  assert.deepEqual(
    chunkByPartition(records, () => 4, 1000).map((chunk) => chunk.length),
    [3],
  )
})

test('a record larger than the limit goes alone; the request limit bounds a chunk as a whole', () => {
  const big = record('t', k1, 5000)
  assert.deepEqual(chunkByPartition([record('t', k1, 10), big, record('t', k1, 10)], () => 4, 1000).length, 3)
  const spread = [record('t', k1, 300), record('t', k2, 300), record('u', k1, 300)]
  assert.deepEqual(
    chunkByPartition(spread, () => 4, 1000, 1000).map((chunk) => chunk.length),
    [2, 1],
  )
})

test('no records, no chunks', () => {
  assert.deepEqual(
    chunkByPartition([], () => 4),
    [],
  )
})
