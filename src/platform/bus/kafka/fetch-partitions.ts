import { NetworkError, type Consumer } from '@platformatic/kafka'
import type { BusRecord } from '../bus.ts'
import { decodePartition } from './decode-partition.ts'
import { fetchReadCommitted } from './fetch-read-committed.ts'

export interface PartitionPosition {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
}

export interface FetchedPartition {
  readonly topic: string
  readonly partition: number
  readonly fetchedFrom: bigint
  readonly nextOffset: bigint
  readonly records: readonly BusRecord[]
}

export interface FetchResult {
  readonly fetched: readonly FetchedPartition[]
  /** Positions the broker no longer holds (deleted by retention) or not yet: to be reset. */
  readonly outOfRange: readonly PartitionPosition[]
}

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>
type FetchRequestPartition = Parameters<Consumer['fetch']>[0]['topics'][number]['partitions'][number]

const MAX_BYTES = 16 * 1024 * 1024
const PARTITION_MAX_BYTES = 1024 * 1024
const OFFSET_OUT_OF_RANGE = 1

const uniqueTopics = (positions: readonly PartitionPosition[]): string[] => [
  ...new Set(positions.map((position) => position.topic)),
]

/**
 * Groups positions by the broker that leads their partition: one fetch per broker. A partition
 * without a leader (an election in progress) is left out until fresh metadata names one.
 */
export async function groupByLeader(
  client: Consumer,
  positions: readonly PartitionPosition[],
): Promise<Map<number, PartitionPosition[]>> {
  const metadata = await client.metadata({ topics: uniqueTopics(positions) })
  const groups = new Map<number, PartitionPosition[]>()
  let isLeaderMissing = false
  for (const position of positions) {
    const leader = metadata.topics.get(position.topic)?.partitions[position.partition]?.leader
    if (leader === undefined || leader < 0) {
      isLeaderMissing = true
      continue
    }
    groups.set(leader, [...(groups.get(leader) ?? []), position])
  }
  if (isLeaderMissing) client.clearMetadata()
  return groups
}

/** The response a fetch failed with, when a partition error (not the request) failed it. */
function responseOf(error: unknown): FetchResponse | undefined {
  const pending: unknown[] = [error]
  while (pending.length > 0) {
    const current = pending.pop()
    if (typeof current !== 'object' || current === null) continue
    if ('response' in current && typeof current.response === 'object' && current.response !== null) {
      const response = current.response as Partial<FetchResponse>
      if (Array.isArray(response.responses)) return response as FetchResponse
    }
    if (current instanceof AggregateError) pending.push(...(current.errors as unknown[]))
  }
  return undefined
}

/** One read_committed fetch from one broker, waiting up to `maxWaitMs` for data. */
export async function fetchPartitions(
  client: Consumer,
  node: number,
  positions: readonly PartitionPosition[],
  maxWaitMs: number,
): Promise<FetchResult> {
  const metadata = await client.metadata({ topics: uniqueTopics(positions) })
  const namesById = new Map<string, string>()
  const requested = new Map<string, PartitionPosition>()
  const requestTopics = new Map<string, FetchRequestPartition[]>()
  for (const position of positions) {
    const topicId = metadata.topics.get(position.topic)?.id
    if (topicId === undefined)
      throw new NetworkError(`no metadata for topic ${position.topic}`, { hasStaleMetadata: true })
    namesById.set(topicId, position.topic)
    requested.set(`${topicId}:${position.partition}`, position)
    const partitions = requestTopics.get(topicId) ?? []
    partitions.push({
      partition: position.partition,
      fetchOffset: position.offset,
      partitionMaxBytes: PARTITION_MAX_BYTES,
      currentLeaderEpoch: -1,
      lastFetchedEpoch: -1,
    })
    requestTopics.set(topicId, partitions)
  }
  const broker = metadata.brokers.get(node)
  if (broker === undefined)
    throw new NetworkError(`no metadata for broker ${node}`, { hasStaleMetadata: true })
  let response: FetchResponse
  try {
    response = await fetchReadCommitted(client, broker, {
      topics: [...requestTopics].map(([topicId, partitions]) => ({ topicId, partitions })),
      namesById,
      maxWaitMs,
      maxBytes: MAX_BYTES,
    })
  } catch (error) {
    const partial = responseOf(error)
    const hasOutOfRange = partial?.responses.some((topic) =>
      topic.partitions.some((partition) => partition.errorCode === OFFSET_OUT_OF_RANGE),
    )
    if (partial === undefined || hasOutOfRange !== true) {
      // A moved leader or a lost broker: the next plan reads fresh metadata.
      client.clearMetadata()
      throw error
    }
    response = partial
  }
  const fetched: FetchedPartition[] = []
  const outOfRange: PartitionPosition[] = []
  for (const topic of response.responses) {
    for (const partition of topic.partitions) {
      const position = requested.get(`${topic.topicId}:${partition.partitionIndex}`)
      // An incremental fetch session can answer for partitions this request did not name.
      if (position === undefined || namesById.get(topic.topicId) === undefined) continue
      if (partition.errorCode === OFFSET_OUT_OF_RANGE) {
        outOfRange.push(position)
        continue
      }
      if (partition.errorCode !== 0) continue
      const decoded = decodePartition(position.topic, position.partition, position.offset, partition)
      fetched.push({
        ...decoded,
        topic: position.topic,
        partition: position.partition,
        fetchedFrom: position.offset,
      })
    }
  }
  return { fetched, outOfRange }
}
