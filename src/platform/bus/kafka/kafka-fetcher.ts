import type { Consumer } from '@platformatic/kafka'
import type { BusRecord, TopicPartition } from '../bus.ts'
import type { AssignmentTracker } from './assignment-tracker.ts'
import {
  fetchPartitions,
  groupByLeader,
  type FetchResult,
  type PartitionPosition,
} from './fetch-partitions.ts'
import type { ResolvedKafkaBusOptions } from './options.ts'
import { listOffsets, partitionKey } from './positions.ts'
import { busCall, toBusError } from './to-bus-error.ts'

/**
 * The fetch side of a consumer: the next offset of each owned partition, records fetched but not
 * yet returned, and at most one fetch in flight per broker. A fetch answers after its own wait, so
 * a poll can return before it does; its records are kept for the next poll, unless the partition
 * moved on meanwhile (rebalance, rewind), which its start offset no longer matching reveals.
 */
export class KafkaFetcher {
  readonly #client: Consumer
  readonly #tracker: AssignmentTracker
  readonly #bus: ResolvedKafkaBusOptions
  readonly #positions = new Map<string, bigint>()
  readonly #inflightNodes = new Map<number, Promise<void>>()
  readonly #inflightPartitions = new Set<string>()
  #buffer: BusRecord[] = []
  #outOfRange: PartitionPosition[] = []
  #planning: Promise<void> | undefined
  #failure: unknown
  #wakeup: (() => void) | undefined
  #isStopped = false

  constructor(client: Consumer, tracker: AssignmentTracker, bus: ResolvedKafkaBusOptions) {
    this.#client = client
    this.#tracker = tracker
    this.#bus = bus
  }

  take(maxRecords: number): BusRecord[] {
    return this.#buffer.splice(0, maxRecords)
  }

  /** Records fetched and not yet taken. */
  buffered(): number {
    return this.#buffer.length
  }

  /** Owned partitions without a position yet. */
  unpositioned(): TopicPartition[] {
    return this.#tracker
      .list()
      .filter(({ topic, partition }) => !this.#positions.has(partitionKey(topic, partition)))
  }

  place(positions: ReadonlyMap<string, bigint>): void {
    for (const [key, offset] of positions) {
      if (this.#tracker.get(key) !== undefined && !this.#positions.has(key)) this.#positions.set(key, offset)
    }
  }

  /** Voids the positions and fetched records of these partitions. */
  forget(keys: readonly string[]): void {
    if (keys.length === 0) return
    const forgotten = new Set(keys)
    for (const key of forgotten) this.#positions.delete(key)
    this.#buffer = this.#buffer.filter(
      (record) => !forgotten.has(partitionKey(record.topic, record.partition)),
    )
  }

  rewind(): void {
    this.#positions.clear()
    this.#buffer = []
    this.#outOfRange = []
  }

  failIfFailed(): void {
    const failure = this.#failure
    if (failure === undefined) return
    this.#failure = undefined
    throw toBusError(failure, 'fetching records')
  }

  async resetOutOfRange(fromBeginning: boolean): Promise<void> {
    const due = this.#outOfRange
      .splice(0)
      .filter(
        (position) =>
          this.#positions.get(partitionKey(position.topic, position.partition)) === position.offset,
      )
    if (due.length === 0) return
    const policy = fromBeginning ? 'earliest' : 'latest'
    const offsets = await busCall('resetting out-of-range offsets', () =>
      listOffsets(this.#client, due, policy),
    )
    for (const position of due) {
      const key = partitionKey(position.topic, position.partition)
      const offset = offsets.get(key)
      if (offset === undefined || this.#positions.get(key) !== position.offset) continue
      this.#positions.set(key, offset)
      this.#bus.logger?.warn(
        { ...position, offset: String(position.offset), reset: String(offset) },
        'offset out of range, reset',
      )
    }
  }

  /** Starts a fetch on every broker without one in flight, for the partitions it leads. */
  start(maxWaitMs: number): void {
    if (this.#planning !== undefined || this.#isStopped) return
    const positions = this.#tracker.list().flatMap(({ topic, partition }) => {
      const key = partitionKey(topic, partition)
      const offset = this.#positions.get(key)
      return offset === undefined || this.#inflightPartitions.has(key) ? [] : [{ topic, partition, offset }]
    })
    if (positions.length === 0) return
    this.#planning = groupByLeader(this.#client, positions)
      .then(
        (groups) => {
          for (const [node, nodePositions] of groups) {
            if (!this.#inflightNodes.has(node) && !this.#isStopped)
              this.#fetch(node, nodePositions, maxWaitMs)
          }
        },
        (error: unknown) => {
          this.#fail(error)
        },
      )
      .finally(() => {
        this.#planning = undefined
      })
  }

  #fetch(node: number, positions: readonly PartitionPosition[], maxWaitMs: number): void {
    const keys = positions.map(({ topic, partition }) => partitionKey(topic, partition))
    for (const key of keys) this.#inflightPartitions.add(key)
    const task = fetchPartitions(this.#client, node, positions, maxWaitMs)
      .then(
        (result) => {
          this.#accept(result)
        },
        (error: unknown) => {
          this.#fail(error)
        },
      )
      .finally(() => {
        this.#inflightNodes.delete(node)
        for (const key of keys) this.#inflightPartitions.delete(key)
        this.wake()
      })
    this.#inflightNodes.set(node, task)
  }

  #accept(result: FetchResult): void {
    for (const fetched of result.fetched) {
      const key = partitionKey(fetched.topic, fetched.partition)
      if (this.#positions.get(key) !== fetched.fetchedFrom) continue
      this.#positions.set(key, fetched.nextOffset)
      for (const record of fetched.records) this.#buffer.push(record)
    }
    this.#outOfRange.push(...result.outOfRange)
  }

  #fail(error: unknown): void {
    if (!this.#isStopped) this.#failure ??= error
  }

  /** Waits until records, a failure or `isDue()` arrive, or `ms` pass. */
  sleep(ms: number, isDue: () => boolean): Promise<void> {
    if (this.#buffer.length > 0 || this.#failure !== undefined || this.#outOfRange.length > 0 || isDue()) {
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        if (this.#wakeup === done) this.#wakeup = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#wakeup = done
    })
  }

  wake(): void {
    this.#wakeup?.()
  }

  /** Stops fetching and waits for the fetches in flight. */
  async stop(): Promise<void> {
    this.#isStopped = true
    this.wake()
    await Promise.allSettled([this.#planning, ...this.#inflightNodes.values()])
  }
}
