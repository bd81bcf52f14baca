import { Consumer, FetchIsolationLevels } from '@platformatic/kafka'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { QuotecastError } from '../../errors.ts'
import type { BusRecord } from '../bus.ts'
import { fetchPartitions, groupByLeader, type PartitionPosition } from './fetch-partitions.ts'
import { baseClientOptions, type ResolvedKafkaBusOptions } from './options.ts'
import { listOffsets, partitionKey } from './positions.ts'
import { topicMetadata } from './topic-metadata.ts'

const FETCH_WAIT_MS = 100

/**
 * Every committed record of the partitions, from the first offset still held to the end at call
 * time (the high watermark): transactions still open then are waited for, and left out if they
 * abort. In partition order, offset order within a partition.
 */
export async function readToEnd(
  bus: ResolvedKafkaBusOptions,
  topic: string,
  partitions?: readonly number[],
): Promise<BusRecord[]> {
  const client = new Consumer({
    ...baseClientOptions(bus, 'reader'),
    groupId: `${bus.clientId}-reader-${randomUUID()}`,
    autocommit: false,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
  })
  client.topics.trackAll(topic)
  try {
    const metadata = await topicMetadata(client, [topic])
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0
    const chosen = (partitions ?? Array.from({ length: count }, (_, partition) => partition)).map(
      (partition) => {
        if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
          throw new QuotecastError('BUS_USAGE', `${topic} has no partition ${partition} (it has ${count})`)
        }
        return { topic, partition }
      },
    )
    // Up to the high watermark, not the last stable offset: a transaction left open by a crashed
    // producer holds the LSO back until it times out, and would hide every transaction committed
    // after it (a restore would then miss the latest state). Waiting for it to be aborted is right.
    const ends = await listOffsets(client, chosen, 'high-watermark')
    const starts = await listOffsets(client, chosen, 'earliest')
    const endOf = (position: PartitionPosition): bigint =>
      ends.get(partitionKey(topic, position.partition)) ?? 0n
    const read = new Map<number, BusRecord[]>()
    let pending: PartitionPosition[] = chosen
      .map(({ partition }) => ({
        topic,
        partition,
        offset: starts.get(partitionKey(topic, partition)) ?? 0n,
      }))
      .filter((position) => position.offset < endOf(position))
    let lastProgressAt = Date.now()
    while (pending.length > 0) {
      // The transaction timeout is the request timeout; the broker aborts a timed-out one soon after.
      if (Date.now() - lastProgressAt > 2 * bus.requestTimeoutMs) {
        throw new QuotecastError(
          'BUS_TIMEOUT',
          `reading ${topic} to its end made no progress in ${2 * bus.requestTimeoutMs} ms`,
        )
      }
      const groups = await groupByLeader(client, pending)
      if (groups.size === 0) await sleep(FETCH_WAIT_MS)
      const results = await Promise.all(
        [...groups].map(([node, positions]) => fetchPartitions(client, node, positions, FETCH_WAIT_MS)),
      )
      const next = new Map(pending.map((position) => [position.partition, position]))
      for (const { fetched, outOfRange } of results) {
        for (const partition of fetched) {
          const position = next.get(partition.partition)
          if (position === undefined || partition.nextOffset <= position.offset) continue
          lastProgressAt = Date.now()
          const end = endOf(position)
          const records = read.get(partition.partition) ?? []
          for (const record of partition.records) if (record.offset < end) records.push(record)
          read.set(partition.partition, records)
          next.set(partition.partition, { ...position, offset: partition.nextOffset })
        }
        if (outOfRange.length > 0) {
          const earliest = await listOffsets(client, outOfRange, 'earliest')
          for (const position of outOfRange) {
            const offset = earliest.get(partitionKey(topic, position.partition)) ?? position.offset
            next.set(position.partition, { ...position, offset })
          }
        }
      }
      pending = [...next.values()].filter((position) => position.offset < endOf(position))
    }
    return chosen.flatMap(({ partition }) => read.get(partition) ?? [])
  } finally {
    await client.close(true).catch(() => undefined)
  }
}
