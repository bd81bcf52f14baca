import type { OutgoingRecord } from '../bus.ts'
import { partitionForKey } from '../murmur2.ts'

/**
 * The broker refuses a partition's batch over message.max.bytes (1 MiB by default), and the client
 * sends each partition's share of a request as one batch: each share stays well under it.
 */
const MAX_PARTITION_BYTES = 512 * 1024
/** Bounds one request as a whole, so that a huge batch of records is not built in memory at once. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024

const sizeOf = (record: OutgoingRecord): number => record.key.length + (record.value?.byteLength ?? 0) + 64

/**
 * Consecutive chunks, order kept, in which no partition's share exceeds `maxPartitionBytes` (a
 * larger record goes alone): one produce request each, so that records spread over many partitions
 * take one round trip rather than one per half megabyte. `partitionCount` gives a topic's count.
 */
export function chunkByPartition(
  records: readonly OutgoingRecord[],
  partitionCount: (topic: string) => number,
  maxPartitionBytes = MAX_PARTITION_BYTES,
  maxRequestBytes = MAX_REQUEST_BYTES,
): OutgoingRecord[][] {
  const chunks: OutgoingRecord[][] = []
  // By topic then key, so that no string is built per record.
  const partitions = new Map<string, Map<string, number>>()
  let shares = new Map<string, number[]>()
  let chunk: OutgoingRecord[] = []
  let bytes = 0
  for (const record of records) {
    let byKey = partitions.get(record.topic)
    if (byKey === undefined) {
      byKey = new Map()
      partitions.set(record.topic, byKey)
    }
    let partition = byKey.get(record.key)
    if (partition === undefined) {
      partition = partitionForKey(record.key, partitionCount(record.topic))
      byKey.set(record.key, partition)
    }
    const size = sizeOf(record)
    const share = (shares.get(record.topic)?.[partition] ?? 0) + size
    if (chunk.length > 0 && (share > maxPartitionBytes || bytes + size > maxRequestBytes)) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
      shares = new Map()
    }
    chunk.push(record)
    bytes += size
    let topicShares = shares.get(record.topic)
    if (topicShares === undefined) {
      topicShares = []
      shares.set(record.topic, topicShares)
    }
    topicShares[partition] = (topicShares[partition] ?? 0) + size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}
