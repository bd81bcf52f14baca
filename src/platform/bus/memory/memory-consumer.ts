import type {
  BusConsumer,
  BusRecord,
  BusTransaction,
  ConsumerOptions,
  OutgoingRecord,
  PollOptions,
  TopicPartition,
} from '../bus.ts'
import { QuotecastError } from '../../errors.ts'
import type { MemoryGroup } from './memory-group.ts'
import type { MemoryPartition } from './memory-log.ts'

/** What a consumer needs from its MemoryBus. */
export interface MemoryBroker {
  partitionsOf(topic: string): readonly MemoryPartition[]
  waitForAppend(timeoutMs: number, signal: AbortSignal): Promise<void>
  appendCommitted(records: readonly OutgoingRecord[]): void
  leave(consumer: MemoryConsumer): void
}

type Position = { topic: string; partition: number; position: bigint }

const positionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`

/** Positions after the last consumed record of each partition. */
export function positionsAfter(consumed: readonly BusRecord[]): Map<string, Position> {
  const positions = new Map<string, Position>()
  for (const record of consumed) {
    const key = positionKey(record.topic, record.partition)
    const position = record.offset + 1n
    const current = positions.get(key)
    if (current === undefined || current.position < position) {
      positions.set(key, { topic: record.topic, partition: record.partition, position })
    }
  }
  return positions
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)))

export class MemoryConsumer implements BusConsumer {
  readonly memberId: string
  readonly #broker: MemoryBroker
  readonly #options: ConsumerOptions
  readonly #group: MemoryGroup | undefined
  readonly #positions = new Map<string, bigint>()
  /** Where a partition without a committed position starts when not from the beginning: its end at creation. */
  readonly #endsAtCreation = new Map<string, bigint>()
  readonly #closed = new AbortController()
  #assignment: TopicPartition[] = []
  #generation = -1
  #nextPartition = 0

  constructor(
    broker: MemoryBroker,
    options: ConsumerOptions,
    memberId: string,
    group: MemoryGroup | undefined,
  ) {
    this.#broker = broker
    this.#options = options
    this.memberId = memberId
    this.#group = group
    for (const topic of options.topics) {
      broker.partitionsOf(topic).forEach((partition, index) => {
        this.#endsAtCreation.set(positionKey(topic, index), partition.endOffset)
      })
    }
  }

  assignment(): readonly TopicPartition[] {
    return this.#assignment
  }

  async poll(options: PollOptions = {}): Promise<readonly BusRecord[]> {
    const maxRecords = options.maxRecords ?? 500
    const deadline = Date.now() + (options.maxWaitMs ?? 500)
    for (;;) {
      if (this.#closed.signal.aborted) return []
      await this.#rebalanceIfNeeded()
      const records = this.#take(maxRecords)
      if (records.length > 0) return records
      const remainingMs = deadline - Date.now()
      if (remainingMs <= 0) return []
      await this.#broker.waitForAppend(remainingMs, this.#closed.signal)
    }
  }

  commit(consumed: readonly BusRecord[]): Promise<void> {
    if (this.#group === undefined) return Promise.resolve()
    try {
      this.#assertOwned(consumed)
    } catch (error) {
      return Promise.reject(asError(error))
    }
    this.#group.commit(positionsAfter(consumed))
    return Promise.resolve()
  }

  beginTransaction(): Promise<BusTransaction> {
    const group = this.#group
    if (group === undefined)
      return Promise.reject(new QuotecastError('BUS_USAGE', 'transactions need a consumer group'))
    const pending: OutgoingRecord[] = []
    let isDone = false
    return Promise.resolve({
      send: (records) => {
        if (isDone) return Promise.reject(new QuotecastError('BUS_USAGE', 'transaction already completed'))
        pending.push(...records)
        return Promise.resolve()
      },
      commit: (consumed) => {
        if (isDone) return Promise.reject(new QuotecastError('BUS_USAGE', 'transaction already completed'))
        isDone = true
        try {
          this.#assertOwned(consumed)
          // Records and positions become visible together, or not at all.
          this.#broker.appendCommitted(pending)
        } catch (error) {
          this.#rewindToCommitted()
          return Promise.reject(asError(error))
        }
        group.commit(positionsAfter(consumed))
        return Promise.resolve()
      },
      abort: () => {
        if (isDone) return Promise.resolve()
        isDone = true
        pending.length = 0
        // As on Kafka: the records of an aborted transaction are consumed again from the last commit.
        this.#rewindToCommitted()
        return Promise.resolve()
      },
    })
  }

  close(): Promise<void> {
    if (!this.#closed.signal.aborted) {
      this.#closed.abort()
      this.#broker.leave(this)
    }
    return Promise.resolve()
  }

  /** A member may commit only partitions it owns now (Kafka's fencing of a rebalanced member). */
  #assertOwned(consumed: readonly BusRecord[]): void {
    if (this.#group === undefined) return
    const current =
      this.#group.generation === this.#generation
        ? this.#assignment
        : this.#group.assignmentOf(this.memberId, this.#partitionCounts())
    const owned = new Set(current.map((tp) => positionKey(tp.topic, tp.partition)))
    const lost = consumed.find((record) => !owned.has(positionKey(record.topic, record.partition)))
    if (lost) {
      throw new QuotecastError(
        'BUS_REBALANCED',
        `commit rejected: partition ${lost.topic}-${lost.partition} was reassigned by a rebalance`,
      )
    }
  }

  #startOf(tp: TopicPartition): bigint {
    const committed = this.#group?.committed(tp.topic, tp.partition)
    if (committed !== undefined) return committed
    return (this.#options.fromBeginning ?? true)
      ? 0n
      : (this.#endsAtCreation.get(positionKey(tp.topic, tp.partition)) ?? 0n)
  }

  #rewindToCommitted(): void {
    for (const tp of this.#assignment)
      this.#positions.set(positionKey(tp.topic, tp.partition), this.#startOf(tp))
  }

  #partitionCounts(): Map<string, number> {
    return new Map(this.#options.topics.map((topic) => [topic, this.#broker.partitionsOf(topic).length]))
  }

  async #rebalanceIfNeeded(): Promise<void> {
    const generation = this.#group?.generation ?? 0
    if (generation === this.#generation) return
    const next = this.#group
      ? this.#group.assignmentOf(this.memberId, this.#partitionCounts())
      : this.#options.topics.flatMap((topic) =>
          this.#broker.partitionsOf(topic).map((_, partition) => ({ topic, partition })),
        )
    const nextKeys = new Set(next.map((tp) => positionKey(tp.topic, tp.partition)))
    const currentKeys = new Set(this.#assignment.map((tp) => positionKey(tp.topic, tp.partition)))
    const revoked = this.#assignment.filter((tp) => !nextKeys.has(positionKey(tp.topic, tp.partition)))
    const added = next.filter((tp) => !currentKeys.has(positionKey(tp.topic, tp.partition)))
    if (revoked.length > 0) await this.#options.onRevoked?.(revoked)
    for (const tp of revoked) this.#positions.delete(positionKey(tp.topic, tp.partition))
    for (const tp of added) this.#positions.set(positionKey(tp.topic, tp.partition), this.#startOf(tp))
    this.#assignment = next
    this.#generation = generation
    if (added.length > 0) await this.#options.onAssigned?.(added)
  }

  #take(maxRecords: number): BusRecord[] {
    const out: BusRecord[] = []
    const count = this.#assignment.length
    for (let step = 0; step < count && out.length < maxRecords; step++) {
      const tp = this.#assignment[(this.#nextPartition + step) % count]
      if (tp === undefined) continue
      const key = positionKey(tp.topic, tp.partition)
      const partition = this.#broker.partitionsOf(tp.topic)[tp.partition]
      const position = this.#positions.get(key) ?? 0n
      if (partition === undefined || position >= partition.endOffset) continue
      const records = partition.read(position, maxRecords - out.length)
      const last = records.at(-1)
      this.#positions.set(key, last === undefined ? partition.endOffset : last.offset + 1n)
      out.push(...records)
    }
    this.#nextPartition = count === 0 ? 0 : (this.#nextPartition + 1) % count
    return out
  }
}
