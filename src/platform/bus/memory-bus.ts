import type { TopicSpec } from '../../core/contracts/topics.ts'
import { QuotecastError } from '../errors.ts'
import type { Bus, BusConsumer, BusRecord, ConsumerOptions, OutgoingRecord } from './bus.ts'
import { MemoryConsumer, type MemoryBroker } from './memory/memory-consumer.ts'
import { MemoryGroup } from './memory/memory-group.ts'
import { MemoryPartition } from './memory/memory-log.ts'
import { partitionForKey } from './murmur2.ts'

/**
 * The in-process bus: Kafka's semantics for one process. Keys are partitioned with the Java
 * client's murmur2, offsets and consumer groups resume from committed positions, compacted topics
 * keep the latest value per key, and a transaction's records and positions appear together.
 */
export class MemoryBus implements Bus, MemoryBroker {
  readonly #topics = new Map<string, MemoryPartition[]>()
  readonly #groups = new Map<string, MemoryGroup>()
  readonly #consumers = new Set<MemoryConsumer>()
  readonly #waiters = new Set<() => void>()
  readonly #now: () => number
  #nextMemberId = 0

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now
  }

  ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      if (this.#topics.has(spec.name)) continue
      const isCompacted = (spec.configs['cleanup.policy'] ?? '').includes('compact')
      this.#topics.set(
        spec.name,
        Array.from(
          { length: spec.partitions },
          (_, partition) => new MemoryPartition(spec.name, partition, isCompacted),
        ),
      )
    }
    return Promise.resolve()
  }

  produce(records: readonly OutgoingRecord[]): Promise<void> {
    try {
      this.appendCommitted(records)
      return Promise.resolve()
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  consumer(options: ConsumerOptions): Promise<BusConsumer> {
    const unknown = options.topics.find((topic) => !this.#topics.has(topic))
    if (unknown !== undefined) return Promise.reject(unknownTopic(unknown))
    const memberId = `member-${String(this.#nextMemberId++).padStart(6, '0')}`
    let group: MemoryGroup | undefined
    if (options.groupId !== undefined) {
      group = this.#groups.get(options.groupId) ?? new MemoryGroup()
      this.#groups.set(options.groupId, group)
      group.join(memberId)
    }
    const consumer = new MemoryConsumer(this, options, memberId, group)
    this.#consumers.add(consumer)
    return Promise.resolve(consumer)
  }

  readToEnd(topic: string, partitions?: readonly number[]): Promise<readonly BusRecord[]> {
    const all = this.#topics.get(topic)
    if (all === undefined) return Promise.reject(unknownTopic(topic))
    const chosen = partitions ?? all.map((_, index) => index)
    return Promise.resolve(chosen.flatMap((index) => all[index]?.read(0n, Number.MAX_SAFE_INTEGER) ?? []))
  }

  partitionOf(topic: string, key: string): Promise<number> {
    const partitions = this.#topics.get(topic)
    if (partitions === undefined) return Promise.reject(unknownTopic(topic))
    return Promise.resolve(partitionForKey(key, partitions.length))
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((consumer) => consumer.close()))
  }

  partitionsOf(topic: string): readonly MemoryPartition[] {
    return this.#topics.get(topic) ?? []
  }

  appendCommitted(records: readonly OutgoingRecord[]): void {
    const targets = records.map((record) => {
      const partitions = this.#partitionsOrThrow(record.topic)
      return partitions[partitionForKey(record.key, partitions.length)]
    })
    const timestamp = this.#now()
    records.forEach((record, index) => targets[index]?.append(record, timestamp))
    if (records.length > 0) this.#wake()
  }

  waitForAppend(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.#waiters.delete(done)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      this.#waiters.add(done)
      signal.addEventListener('abort', done, { once: true })
    })
  }

  leave(consumer: MemoryConsumer): void {
    this.#consumers.delete(consumer)
    for (const group of this.#groups.values()) group.leave(consumer.memberId)
    this.#wake()
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter()
  }

  #partitionsOrThrow(topic: string): MemoryPartition[] {
    const partitions = this.#topics.get(topic)
    if (partitions === undefined) throw unknownTopic(topic)
    return partitions
  }
}

const unknownTopic = (topic: string): QuotecastError =>
  new QuotecastError('BUS_PROTOCOL', `unknown topic "${topic}": create it first (quotecast topics)`)
