import type { TopicSpec } from '../../core/contracts/topics.ts'

/** A consumed message. `offset` is the record's own offset; the committed position is offset + 1. */
export interface BusRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
  readonly key: string | null
  readonly value: Uint8Array | null
  /** Broker (or producer) timestamp, epoch ms. */
  readonly timestamp: number
  readonly headers: Readonly<Record<string, string>>
}

/** A message to produce. A null value is a tombstone on a compacted topic. */
export interface OutgoingRecord {
  readonly topic: string
  readonly key: string
  readonly value: Uint8Array | null
  readonly headers?: Readonly<Record<string, string>>
}

export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

export interface ConsumerOptions {
  /**
   * With a group, partitions are shared among the group's members and positions are committed.
   * Without one, the consumer reads every partition of its topics and commits nothing.
   */
  readonly groupId?: string
  readonly topics: readonly string[]
  /** Where to start when the group has no committed offset (or there is no group). Default: true. */
  readonly fromBeginning?: boolean
  /**
   * Called from inside `poll`, before any record of the new partitions is returned, so that
   * per-partition state can be restored. `revoked` is called before partitions are given away.
   */
  readonly onAssigned?: (partitions: readonly TopicPartition[]) => Promise<void>
  readonly onRevoked?: (partitions: readonly TopicPartition[]) => Promise<void>
}

export interface PollOptions {
  /** Default 500. */
  readonly maxRecords?: number
  /** How long to wait when nothing is available. Default 500 ms. */
  readonly maxWaitMs?: number
}

/** A producer transaction that also commits a consumer group's positions: all or nothing. */
export interface BusTransaction {
  send(records: readonly OutgoingRecord[]): Promise<void>
  /** Adds the positions after `consumed` (last offset + 1 per partition) and commits everything. */
  commit(consumed: readonly BusRecord[]): Promise<void>
  abort(): Promise<void>
}

export interface BusConsumer {
  /** The next records of the assigned partitions, in offset order per partition; [] on timeout. */
  poll(options?: PollOptions): Promise<readonly BusRecord[]>
  /** Commits the positions after `consumed` (no-op without a group). */
  commit(consumed: readonly BusRecord[]): Promise<void>
  /** Begins a transaction on this consumer's transactional producer (group consumers only). */
  beginTransaction(): Promise<BusTransaction>
  assignment(): readonly TopicPartition[]
  close(): Promise<void>
}

/**
 * What the services need from a message broker. Two implementations with the same semantics:
 * KafkaBus (a real broker) and MemoryBus (in process, for the embedded mode and unit tests).
 * Consumers read committed data only (read_committed).
 */
export interface Bus {
  /** Creates missing topics with their partitions and configs; existing topics are left alone. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>
  /** Produces and waits until the broker acknowledged every record (idempotent producer). */
  produce(records: readonly OutgoingRecord[]): Promise<void>
  consumer(options: ConsumerOptions): Promise<BusConsumer>
  /** Every committed record of the given partitions (all when omitted) from the start to the current end. */
  readToEnd(topic: string, partitions?: readonly number[]): Promise<readonly BusRecord[]>
  /** The partition a key lands in (murmur2, as the Java client's default partitioner). */
  partitionOf(topic: string, key: string): Promise<number>
  close(): Promise<void>
}

/** Produces `outputs` and commits the positions after `consumed` in one transaction; aborts on failure. */
export async function produceAndCommit(
  consumer: BusConsumer,
  outputs: readonly OutgoingRecord[],
  consumed: readonly BusRecord[],
): Promise<void> {
  const transaction = await consumer.beginTransaction()
  try {
    if (outputs.length > 0) await transaction.send(outputs)
    await transaction.commit(consumed)
  } catch (error) {
    await transaction.abort().catch(() => undefined)
    throw error
  }
}
