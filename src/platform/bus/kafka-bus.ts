import { Admin, Producer, compatibilityPartitioner, findErrorBy } from '@platformatic/kafka'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TopicSpec } from '../../core/contracts/topics.ts'
import { QuotecastError } from '../errors.ts'
import type { Bus, BusConsumer, BusRecord, ConsumerOptions, OutgoingRecord } from './bus.ts'
import { KafkaBusConsumer } from './kafka/kafka-consumer.ts'
import {
  baseClientOptions,
  resolveKafkaBusOptions,
  type KafkaBusOptions,
  type ResolvedKafkaBusOptions,
} from './kafka/options.ts'
import { readToEnd } from './kafka/read-to-end.ts'
import { busCall, toBusError } from './kafka/to-bus-error.ts'
import { chunkBySize, toMessages } from './kafka/to-messages.ts'
import { topicMetadata } from './kafka/topic-metadata.ts'
import { partitionForKey } from './murmur2.ts'

export type { KafkaBusOptions } from './kafka/options.ts'

/**
 * The bus on Apache Kafka through @platformatic/kafka: an idempotent producer (acks=all) placing
 * keys with the Java client's murmur2, read_committed consumers on the classic group protocol, and
 * per-consumer transactional producers that commit consumed offsets with the records they send.
 * Clients are created on first use and all closed by `close()`.
 */
export class KafkaBus implements Bus {
  readonly #options: ResolvedKafkaBusOptions
  readonly #consumers = new Set<KafkaBusConsumer>()
  readonly #partitionCounts = new Map<string, number>()
  #producer: Producer | undefined
  #admin: Admin | undefined
  #credentialsAccepted = false
  #isClosed = false

  constructor(options: KafkaBusOptions) {
    this.#options = resolveKafkaBusOptions(options)
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    await this.#checkCredentials()
    const admin = this.#adminClient()
    await Promise.all(
      specs.map(async (spec) => {
        try {
          await admin.createTopics({
            topics: [spec.name],
            partitions: spec.partitions,
            configs: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
          })
        } catch (error) {
          const isCreated = findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS') !== null
          if (!isCreated) throw toBusError(error, `creating topic ${spec.name}`)
        }
      }),
    )
    await this.#awaitTopics(specs.map((spec) => spec.name))
  }

  /** A created topic takes a moment to have leaders everywhere; until then producing to it fails. */
  async #awaitTopics(topics: readonly string[]): Promise<void> {
    const deadline = Date.now() + this.#options.requestTimeoutMs
    for (;;) {
      try {
        const metadata = await this.#adminClient().metadata({
          topics: [...topics],
          forceUpdate: true,
          retries: 0,
        })
        const isReady = topics.every((topic) => {
          const partitions = metadata.topics.get(topic)?.partitions ?? []
          return partitions.length > 0 && partitions.every((partition) => partition.leader >= 0)
        })
        if (isReady) {
          for (const topic of topics)
            this.#partitionCounts.set(topic, metadata.topics.get(topic)?.partitionsCount ?? 0)
          return
        }
        if (Date.now() > deadline)
          throw new QuotecastError('BUS_TIMEOUT', `topics ${topics.join(', ')} have no leaders yet`)
      } catch (error) {
        if (Date.now() > deadline) throw toBusError(error, 'waiting for new topics')
      }
      await sleep(100)
    }
  }

  async produce(records: readonly OutgoingRecord[]): Promise<void> {
    this.#assertOpen()
    if (records.length === 0) return
    await this.#checkCredentials()
    this.#producer ??= new Producer({
      ...baseClientOptions(this.#options, 'producer'),
      idempotent: true,
      partitioner: compatibilityPartitioner,
    })
    const producer = this.#producer
    const topics = [...new Set(records.map((record) => record.topic))]
    await busCall(`producing to ${topics.join(', ')}`, async () => {
      await topicMetadata(producer, topics)
      for (const chunk of chunkBySize(records)) await producer.send({ messages: toMessages(chunk) })
    })
  }

  async consumer(options: ConsumerOptions): Promise<BusConsumer> {
    this.#assertOpen()
    await this.#checkCredentials()
    const consumer = await KafkaBusConsumer.create(this.#options, options, (closed) => {
      this.#consumers.delete(closed)
    })
    this.#consumers.add(consumer)
    return consumer
  }

  async readToEnd(topic: string, partitions?: readonly number[]): Promise<readonly BusRecord[]> {
    this.#assertOpen()
    await this.#checkCredentials()
    return busCall(`reading ${topic} to its end`, () => readToEnd(this.#options, topic, partitions))
  }

  async partitionOf(topic: string, key: string): Promise<number> {
    this.#assertOpen()
    let count = this.#partitionCounts.get(topic)
    if (count === undefined) {
      await this.#checkCredentials()
      const metadata = await busCall(`reading metadata of ${topic}`, () =>
        topicMetadata(this.#adminClient(), [topic]),
      )
      count = metadata.topics.get(topic)?.partitionsCount ?? 0
      if (count <= 0) throw new QuotecastError('BUS_PROTOCOL', `topic ${topic} has no partitions`)
      this.#partitionCounts.set(topic, count)
    }
    return partitionForKey(key, count)
  }

  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    const results = await Promise.allSettled([
      ...[...this.#consumers].map((consumer) => consumer.close()),
      this.#producer?.close(true),
      this.#admin?.close(),
    ])
    const failure = results.find((result) => result.status === 'rejected')
    if (failure !== undefined) throw toBusError(failure.reason, 'closing the Kafka bus')
  }

  /**
   * The client treats a refused SASL handshake as a network fault and retries it for about 40 s. One
   * request without retries before the first operation makes wrong credentials fail at once; any
   * other failure of it (broker down, restarting) is left to the operation's own retries.
   */
  async #checkCredentials(): Promise<void> {
    if (this.#credentialsAccepted || this.#options.sasl === undefined) return
    try {
      await this.#adminClient().metadata({ topics: [], forceUpdate: true, retries: 0 })
      this.#credentialsAccepted = true
    } catch (error) {
      const busError = toBusError(error, `authenticating to Kafka as ${this.#options.sasl.username}`)
      if (busError.code === 'BUS_AUTH') throw busError
    }
  }

  #adminClient(): Admin {
    this.#assertOpen()
    this.#admin ??= new Admin(baseClientOptions(this.#options, 'admin'))
    return this.#admin
  }

  #assertOpen(): void {
    if (this.#isClosed) throw new QuotecastError('BUS_CLOSED', 'the Kafka bus is closed')
  }
}

/** A bus on the Kafka cluster at `bootstrapServers`; nothing connects until first use. */
export function createKafkaBus(options: KafkaBusOptions): KafkaBus {
  return new KafkaBus(options)
}
