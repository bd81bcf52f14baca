import { Consumer, type ConsumerGroupJoinPayload } from '@platformatic/kafka'
import { randomUUID } from 'node:crypto'
import { QuotecastError } from '../../errors.ts'
import type {
  BusConsumer,
  BusRecord,
  BusTransaction,
  ConsumerOptions,
  PollOptions,
  TopicPartition,
} from '../bus.ts'
import { AssignmentTracker, type GroupJoin } from './assignment-tracker.ts'
import { KafkaFetcher } from './kafka-fetcher.ts'
import { TransactionalProducer } from './kafka-transaction.ts'
import { consumerClientOptions, type ResolvedKafkaBusOptions } from './options.ts'
import { positionsAfter, startPositions, type PositionAfter } from './positions.ts'
import { busCall, toBusError } from './to-bus-error.ts'
import { topicMetadata } from './topic-metadata.ts'

/**
 * A consumer on the classic group protocol. The client keeps the membership alive in the
 * background (heartbeats, rejoins); `poll` applies what changed since the last poll, calls
 * onRevoked/onAssigned, and only then returns records, fetched with read_committed.
 */
export class KafkaBusConsumer implements BusConsumer {
  readonly #client: Consumer
  readonly #options: ConsumerOptions
  readonly #bus: ResolvedKafkaBusOptions
  readonly #tracker = new AssignmentTracker()
  readonly #fetcher: KafkaFetcher
  readonly #joins: GroupJoin[] = []
  readonly #onClose: (consumer: KafkaBusConsumer) => void
  /** Names this member's transactional producer: stable across restarts when the bus has an instance id. */
  readonly #instanceId: string
  #transactions: TransactionalProducer | undefined
  #isRejoinNeeded = false
  #isClosed = false

  private constructor(
    client: Consumer,
    options: ConsumerOptions,
    bus: ResolvedKafkaBusOptions,
    onClose: (consumer: KafkaBusConsumer) => void,
  ) {
    this.#client = client
    this.#options = options
    this.#bus = bus
    this.#instanceId = bus.instanceId ?? randomUUID()
    this.#onClose = onClose
    this.#fetcher = new KafkaFetcher(client, this.#tracker, bus)
  }

  static async create(
    bus: ResolvedKafkaBusOptions,
    options: ConsumerOptions,
    onClose: (consumer: KafkaBusConsumer) => void,
  ): Promise<KafkaBusConsumer> {
    // The client needs a group id even to read without one; it is never joined then.
    const client = new Consumer(
      consumerClientOptions(bus, options.groupId ?? `${bus.clientId}-standalone-${randomUUID()}`),
    )
    client.topics.trackAll(...options.topics)
    const consumer = new KafkaBusConsumer(client, options, bus, onClose)
    try {
      await consumer.#start()
      return consumer
    } catch (error) {
      await client.close(true).catch(() => undefined)
      throw toBusError(error, `starting a consumer of ${options.topics.join(', ')}`)
    }
  }

  async #start(): Promise<void> {
    const metadata = await topicMetadata(this.#client, this.#options.topics)
    if (this.#options.groupId === undefined) {
      const assignments = this.#options.topics.map((topic) => {
        const count = metadata.topics.get(topic)?.partitionsCount ?? 0
        return { topic, partitions: Array.from({ length: count }, (_, partition) => partition) }
      })
      this.#joins.push({ memberId: '', generationId: 0, assignments })
    } else {
      this.#client.on('consumer:group:join', (payload: ConsumerGroupJoinPayload) => {
        this.#joins.push({
          memberId: payload.memberId,
          generationId: payload.generationId ?? 0,
          assignments: payload.assignments ?? [],
        })
        this.#fetcher.wake()
      })
      // Emitted when a background rejoin gave up: the next poll joins again.
      this.#client.on('error', (error: unknown) => {
        this.#isRejoinNeeded = true
        this.#bus.logger?.warn({ err: error, groupId: this.#options.groupId }, 'consumer group rejoin failed')
        this.#fetcher.wake()
      })
      await this.#client.joinGroup({})
    }
    await this.#prepare(false)
  }

  assignment(): readonly TopicPartition[] {
    return this.#tracker.list()
  }

  async poll(options: PollOptions = {}): Promise<readonly BusRecord[]> {
    this.#assertOpen()
    const maxRecords = options.maxRecords ?? 500
    const maxWaitMs = Math.max(0, Math.min(options.maxWaitMs ?? 500, this.#bus.requestTimeoutMs / 2))
    const deadline = Date.now() + maxWaitMs
    for (;;) {
      if (this.#isClosed) return []
      await this.#prepare(true)
      const records = this.#fetcher.take(maxRecords)
      // Fetches the next records while the caller works on these (and commits them).
      if (this.#fetcher.buffered() < maxRecords) this.#fetcher.start(maxWaitMs)
      if (records.length > 0) return records
      const remainingMs = deadline - Date.now()
      if (remainingMs <= 0) return []
      await this.#fetcher.sleep(remainingMs, () => this.#joins.length > 0 || this.#isRejoinNeeded)
    }
  }

  /** Applies rebalances and rewinds, resolves start positions, then makes the due callbacks. */
  async #prepare(isAnnouncing: boolean): Promise<void> {
    if (this.#isRejoinNeeded) {
      this.#isRejoinNeeded = false
      await busCall('rejoining the consumer group', () => this.#client.joinGroup({}))
    }
    for (const join of this.#joins.splice(0)) {
      const change = this.#tracker.apply(join)
      this.#fetcher.forget([...change.lost, ...change.gained])
      if (join.generationId > 0) {
        this.#bus.logger?.info(
          {
            groupId: this.#options.groupId,
            generationId: join.generationId,
            owned: this.#tracker.list().length,
          },
          'consumer group rebalanced',
        )
      }
    }
    this.#fetcher.failIfFailed()
    await this.#fetcher.resetOutOfRange(this.#options.fromBeginning ?? true)
    const unpositioned = this.#fetcher.unpositioned()
    if (unpositioned.length > 0) {
      // Committed offsets are read "require stable", so they wait for a transaction a crashed
      // predecessor left open; the first InitProducerId of the same transactional id aborts it.
      if (this.#bus.instanceId !== undefined) await this.#transactionalProducer()?.fencePredecessor()
      const positions = await busCall('reading committed offsets', () =>
        startPositions(this.#client, unpositioned, {
          isGroup: this.#options.groupId !== undefined,
          fromBeginning: this.#options.fromBeginning ?? true,
          timeoutMs: this.#bus.requestTimeoutMs,
        }),
      )
      this.#fetcher.place(positions)
    }
    if (!isAnnouncing) return
    const { revoked, assigned } = this.#tracker.takeAnnouncements()
    if (revoked.length > 0) await this.#options.onRevoked?.(revoked)
    if (assigned.length > 0) await this.#options.onAssigned?.(assigned)
  }

  /** The consumer's transactional producer; undefined without a group, as transactions need one. */
  #transactionalProducer(): TransactionalProducer | undefined {
    const groupId = this.#options.groupId
    if (groupId === undefined) return undefined
    this.#transactions ??= new TransactionalProducer(this.#bus, `${groupId}-${this.#instanceId}`)
    return this.#transactions
  }

  async commit(consumed: readonly BusRecord[]): Promise<void> {
    this.#assertOpen()
    if (this.#options.groupId === undefined) return
    const positions = positionsAfter(consumed)
    if (positions.length === 0) return
    this.#assertOwned(positions)
    await busCall('committing offsets', () =>
      this.#client.commit({ offsets: positions.map((position) => ({ ...position, leaderEpoch: -1 })) }),
    )
  }

  /** A member whose partitions moved to another since its last poll must not commit them. */
  #assertOwned(positions: readonly PositionAfter[]): void {
    const lost = this.#tracker.findLost(positions, {
      generationId: this.#client.generationId,
      assignments: this.#client.assignments ?? [],
    })
    if (lost !== undefined) {
      throw new QuotecastError(
        'BUS_REBALANCED',
        `commit rejected: ${lost.topic}-${lost.partition} is no longer owned after a rebalance; its records go to its new owner`,
      )
    }
  }

  async beginTransaction(): Promise<BusTransaction> {
    this.#assertOpen()
    const transactions = this.#transactionalProducer()
    if (transactions === undefined)
      throw new QuotecastError('BUS_USAGE', 'transactions need a consumer with a groupId')
    return transactions.begin({
      client: this.#client,
      groupMetadata: () => ({ generationId: this.#tracker.generationId, memberId: this.#tracker.memberId }),
      assertOwned: (positions) => {
        this.#assertOwned(positions)
      },
      rewind: () => {
        this.#fetcher.rewind()
      },
    })
  }

  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    await this.#fetcher.stop()
    const results = await Promise.allSettled([this.#transactions?.close(), this.#client.close(true)])
    this.#onClose(this)
    const failure = results.find((result) => result.status === 'rejected')
    if (failure !== undefined) throw toBusError(failure.reason, 'closing a consumer')
  }

  #assertOpen(): void {
    if (this.#isClosed) throw new QuotecastError('BUS_CLOSED', 'the consumer is closed')
  }
}
