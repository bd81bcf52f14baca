import { Producer, compatibilityPartitioner, type Consumer } from '@platformatic/kafka'
import { QuotecastError } from '../../errors.ts'
import type { BusRecord, BusTransaction, OutgoingRecord } from '../bus.ts'
import { chunkByPartition } from './chunk-by-partition.ts'
import { commitTransactionOffsets } from './commit-transaction-offsets.ts'
import { positionsAfter, type PositionAfter } from './positions.ts'
import { baseClientOptions, type ResolvedKafkaBusOptions } from './options.ts'
import { busCall, toBusError } from './to-bus-error.ts'
import { toMessages } from './to-messages.ts'

type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>

/** What a transaction needs from the consumer it belongs to. */
export interface TransactionOwner {
  readonly client: Consumer
  /** The generation and member id of the consumer's last poll: the broker fences older ones. */
  groupMetadata(): { readonly generationId: number; readonly memberId: string }
  assertOwned(positions: readonly PositionAfter[]): void
  /** Puts every owned partition back to its committed offset, so that the aborted work is redone. */
  rewind(): void
  /** Drops a producer whose transaction state is unknown; the next one fences it. */
  discardProducer(): Promise<void>
  /** The transaction committed: the next one may use the other producer. */
  onCommitted(): void
}

/** A Kafka transaction that commits the consumed offsets with the produced records (KIP-98, KIP-447). */
export class KafkaBusTransaction implements BusTransaction {
  readonly #transaction: Transaction
  readonly #producer: Producer
  readonly #bus: ResolvedKafkaBusOptions
  readonly #owner: TransactionOwner
  #isDone = false

  constructor(
    producer: Producer,
    bus: ResolvedKafkaBusOptions,
    transaction: Transaction,
    owner: TransactionOwner,
  ) {
    this.#producer = producer
    this.#bus = bus
    this.#transaction = transaction
    this.#owner = owner
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    this.#assertOpen()
    if (records.length === 0) return
    await busCall('producing in a transaction', async () => {
      const topics = [...new Set(records.map((record) => record.topic))]
      const metadata = await this.#producer.metadata({ topics })
      const partitionCount = (topic: string): number => metadata.topics.get(topic)?.partitionsCount ?? 1
      // One chunk at a time: the client adds a chunk's new partitions to the transaction first, and
      // concurrent sends would share (and cut short) that step.
      for (const chunk of chunkByPartition(records, partitionCount))
        await this.#transaction.send({ messages: toMessages(chunk) })
    })
  }

  async commit(consumed: readonly BusRecord[]): Promise<void> {
    this.#assertOpen()
    try {
      const positions = positionsAfter(consumed)
      if (positions.length > 0) {
        this.#owner.assertOwned(positions)
        const consumer = this.#owner.client
        await this.#transaction.addConsumer(consumer)
        const { retryDelay } = baseClientOptions(this.#bus, 'transactions')
        await commitTransactionOffsets({
          producer: this.#producer,
          consumer,
          ...this.#owner.groupMetadata(),
          positions,
          retries: this.#bus.retries,
          retryDelay,
        })
      }
      await this.#transaction.commit()
      this.#isDone = true
      this.#owner.onCommitted()
    } catch (error) {
      await this.abort().catch(() => undefined)
      throw toBusError(error, 'committing a transaction')
    }
  }

  async abort(): Promise<void> {
    if (this.#isDone) return
    this.#isDone = true
    try {
      await this.#transaction.abort()
    } catch (error) {
      await this.#transaction.cancel().catch(() => undefined)
      await this.#owner.discardProducer()
      throw toBusError(error, 'aborting a transaction')
    } finally {
      this.#owner.rewind()
    }
  }

  #assertOpen(): void {
    if (this.#isDone) throw new QuotecastError('BUS_USAGE', 'the transaction is already committed or aborted')
  }
}

/** One transactional id and its producer, created on first use. */
interface ProducerSlot {
  readonly transactionalId: string
  producer: Producer | undefined
  /** Begun ahead by `fencePredecessor`, handed out by the next `begin` on this slot. */
  pending: Transaction | undefined
}

/**
 * The transactional producers of one consumer: two, taking turns after each commit. A commit's
 * EndTxn answers once the outcome is logged, but the coordinator then still writes the markers, and
 * until it has, the same transactional id's next AddPartitionsToTxn is refused with
 * CONCURRENT_TRANSACTIONS and retried; the other id has no such wait, and the outcome of the
 * transaction before it is already decided, so its offsets cannot overtake an uncommitted one.
 * After a failure the same slot begins again, so its new producer fences the unknown transaction
 * before any other work is committed. The transactional ids are unique per consumer instance
 * (`<id>` and `<id>-alt`, stable across restarts when the bus has an instance id): fencing of zombie
 * members comes from the group generation in the offsets (KIP-447).
 */
export class TransactionalProducer {
  readonly #bus: ResolvedKafkaBusOptions
  readonly #slots: readonly [ProducerSlot, ProducerSlot]
  #turn: 0 | 1 = 0

  constructor(bus: ResolvedKafkaBusOptions, transactionalId: string) {
    this.#bus = bus
    const slot = (id: string): ProducerSlot => ({
      transactionalId: id,
      producer: undefined,
      pending: undefined,
    })
    this.#slots = [slot(transactionalId), slot(`${transactionalId}-alt`)]
  }

  /**
   * Begins the next transaction of both ids now. Their InitProducerId aborts a transaction that a
   * predecessor with the same transactional ids left open when it crashed; without this the new
   * member would wait for that transaction's timeout while restoring state, since changelogs are
   * read committed.
   */
  async fencePredecessor(): Promise<void> {
    await Promise.all(
      this.#slots.map(async (slot) => {
        if (slot.pending !== undefined) return
        const producer = this.#producerClient(slot)
        slot.pending = await busCall('fencing the transaction a previous instance left open', () =>
          producer.beginTransaction(),
        )
      }),
    )
  }

  async begin(
    owner: Omit<TransactionOwner, 'discardProducer' | 'onCommitted'>,
  ): Promise<KafkaBusTransaction> {
    const turn = this.#turn
    const slot = this.#slots[turn]
    const producer = this.#producerClient(slot)
    const transaction =
      slot.pending ?? (await busCall('beginning a transaction', () => producer.beginTransaction()))
    slot.pending = undefined
    return new KafkaBusTransaction(producer, this.#bus, transaction, {
      ...owner,
      onCommitted: () => {
        this.#turn = turn === 0 ? 1 : 0
      },
      discardProducer: async () => {
        if (slot.producer === producer) {
          slot.producer = undefined
          slot.pending = undefined
        }
        await producer.close(true).catch(() => undefined)
      },
    })
  }

  #producerClient(slot: ProducerSlot): Producer {
    slot.producer ??= new Producer({
      ...baseClientOptions(this.#bus, 'transactions'),
      idempotent: true,
      transactionalId: slot.transactionalId,
      // "No producer yet": the client's default (0, 0) is refused as fenced once the transactional
      // id has a producer, which a stable id (a restarted instance) always has.
      producerId: -1n,
      producerEpoch: -1,
      partitioner: compatibilityPartitioner,
    })
    return slot.producer
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled(this.#slots.map(async (slot) => slot.producer?.close(true)))
    const failure = results.find((result) => result.status === 'rejected')
    if (failure !== undefined) throw failure.reason
  }
}
