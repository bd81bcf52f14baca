import { FetchIsolationLevels, ListOffsetTimestamps, type Consumer } from '@platformatic/kafka'
import { QuotecastError } from '../../errors.ts'
import type { BusRecord, TopicPartition } from '../bus.ts'
import { stableCommittedOffsets } from './stable-offsets.ts'

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`

export interface PositionAfter extends TopicPartition {
  /** The offset after the last consumed record: what a commit stores. */
  readonly offset: bigint
}

/** Per partition, the position after the last of `consumed`. */
export function positionsAfter(consumed: readonly BusRecord[]): PositionAfter[] {
  const positions = new Map<string, PositionAfter>()
  for (const record of consumed) {
    const key = partitionKey(record.topic, record.partition)
    const current = positions.get(key)
    if (current === undefined || current.offset <= record.offset) {
      positions.set(key, { topic: record.topic, partition: record.partition, offset: record.offset + 1n })
    }
  }
  return [...positions.values()]
}

function byTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const topics = new Map<string, number[]>()
  for (const { topic, partition } of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition])
  return topics
}

/**
 * The first offset, or the last stable offset (the read_committed end), of each partition;
 * `'high-watermark'` is the end of everything written, open transactions included.
 */
export async function listOffsets(
  client: Consumer,
  partitions: readonly TopicPartition[],
  which: 'earliest' | 'latest' | 'high-watermark',
): Promise<Map<string, bigint>> {
  const topics = byTopic(partitions)
  if (topics.size === 0) return new Map()
  const offsets = await client.listOffsets({
    topics: [...topics.keys()],
    partitions: Object.fromEntries(topics),
    timestamp: which === 'earliest' ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST,
    isolationLevel:
      which === 'high-watermark'
        ? FetchIsolationLevels.READ_UNCOMMITTED
        : FetchIsolationLevels.READ_COMMITTED,
  })
  const result = new Map<string, bigint>()
  for (const { topic, partition } of partitions) {
    const offset = offsets.get(topic)?.[partition]
    if (offset === undefined)
      throw new QuotecastError('BUS_PROTOCOL', `no ${which} offset listed for ${topic}-${partition}`)
    result.set(partitionKey(topic, partition), offset)
  }
  return result
}

/**
 * Where a consumer starts on newly owned partitions: the group's committed offset, else the
 * beginning or the end of the partition.
 */
export async function startPositions(
  client: Consumer,
  partitions: readonly TopicPartition[],
  options: { readonly isGroup: boolean; readonly fromBeginning: boolean; readonly timeoutMs: number },
): Promise<Map<string, bigint>> {
  const positions = new Map<string, bigint>()
  if (partitions.length === 0) return positions
  if (options.isGroup) {
    const topics = [...byTopic(partitions)].map(([topic, partitionList]) => ({
      topic,
      partitions: partitionList,
    }))
    const committed = await stableCommittedOffsets(client, topics, options.timeoutMs)
    for (const { topic, partition } of partitions) {
      const offset = committed.get(topic)?.[partition]
      if (offset !== undefined && offset >= 0n) positions.set(partitionKey(topic, partition), offset)
    }
  }
  const missing = partitions.filter(({ topic, partition }) => !positions.has(partitionKey(topic, partition)))
  const fallback = await listOffsets(client, missing, options.fromBeginning ? 'earliest' : 'latest')
  for (const [key, offset] of fallback) positions.set(key, offset)
  return positions
}
