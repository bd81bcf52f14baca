import assert from 'node:assert/strict'
import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import type { Quote } from '../../src/core/contracts/quote.ts'
import { TOPICS, topicSpecs, type TopicName } from '../../src/core/contracts/topics.ts'
import type { OutgoingRecord } from '../../src/platform/bus/bus.ts'
import { uniqueTopicPrefix } from '../helpers/kafka.ts'
import { assertSameBySymbol, assertSameSnapshots, valuesByKey } from './compare-outputs.ts'
import type { ExpectedOutputs } from './expected-outputs.ts'
import { KafkaProbe } from './kafka-probe.ts'
import {
  startService,
  stopServices,
  type QuotecastCommand,
  type ServiceOptions,
  type ServiceProcess,
} from './services.ts'

const MAX_BATCH_BYTES = 900_000

export interface PipelineOptions {
  readonly bootstrap: string
  readonly partitions: number
  /** Settings every service gets in its environment (e.g. SASL credentials). */
  readonly env?: Readonly<Record<string, string>>
  readonly probe?: KafkaProbe
}

/**
 * One test's slice of a broker: a fresh topic prefix with every topic created, a probe to look
 * at the topics and groups, and the services it started, all stopped by `close()`.
 */
export class TestPipeline {
  readonly prefix: string
  readonly bootstrap: string
  readonly probe: KafkaProbe
  readonly services = new Set<ServiceProcess>()
  readonly #env: Readonly<Record<string, string>>

  private constructor(prefix: string, options: PipelineOptions, probe: KafkaProbe) {
    this.prefix = prefix
    this.bootstrap = options.bootstrap
    this.probe = probe
    this.#env = options.env ?? {}
  }

  static async create(name: string, options: PipelineOptions): Promise<TestPipeline> {
    const prefix = `${uniqueTopicPrefix(name)}.`
    const probe = options.probe ?? new KafkaProbe(options.bootstrap)
    const pipeline = new TestPipeline(prefix, options, probe)
    await probe.bus.ensureTopics(topicSpecs(options.partitions, prefix))
    return pipeline
  }

  topic(name: TopicName): string {
    return this.prefix + name
  }

  group(service: 'processor' | 'trainer' | 'bridge'): string {
    return `${this.prefix}quotecast-${service}`
  }

  /** Produces quotes keyed by symbol, acknowledged, in batches that keep their order. */
  async produceQuotes(quotes: readonly Quote[], batchSize = 1000): Promise<void> {
    await this.produceRaw(
      quotes.map((quote) => ({ key: quote.symbol, value: encodeMessage(quote) })),
      batchSize,
    )
  }

  /**
   * Produces raw values to `quotes` (hostile input too), acknowledged and in order, in batches of
   * at most `batchSize` records and about 900 kB, under the broker's 1 MB limit per batch.
   */
  async produceRaw(
    records: readonly { key: string; value: Uint8Array | null }[],
    batchSize = 1000,
  ): Promise<void> {
    const topic = this.topic(TOPICS.quotes)
    let batch: OutgoingRecord[] = []
    let bytes = 0
    for (const record of records) {
      const size = (record.value?.byteLength ?? 0) + record.key.length
      if (batch.length >= batchSize || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
        await this.probe.bus.produce(batch)
        batch = []
        bytes = 0
      }
      batch.push({ topic, key: record.key, value: record.value })
      bytes += size
    }
    if (batch.length > 0) await this.probe.bus.produce(batch)
  }

  /** Starts a service on this pipeline's prefix; `close()` stops it. */
  start(
    command: QuotecastCommand,
    options: Omit<ServiceOptions, 'topicPrefix' | 'kafka'> & { kafka?: string } = {},
  ): ServiceProcess {
    const service = startService(command, {
      kafka: this.bootstrap,
      ...options,
      topicPrefix: this.prefix,
      env: { ...this.#env, ...options.env },
    })
    this.services.add(service)
    return service
  }

  /** The last lines of every service's output, for a failure message. */
  /** Waits until processor and trainer consumed everything; on a time-out, says what the services last logged. */
  async waitForCaughtUp(timeoutMs: number): Promise<void> {
    try {
      await this.probe.waitForCaughtUp(this.group('processor'), this.topic(TOPICS.quotes), { timeoutMs })
      await this.probe.waitForCaughtUp(this.group('trainer'), this.topic(TOPICS.features), { timeoutMs })
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.tails()}`, { cause: error })
    }
  }

  /** Every output topic, read committed, equals the uninterrupted run's: nothing lost, repeated or moved. */
  async assertOutputs(expected: ExpectedOutputs): Promise<void> {
    const read = (name: TopicName) => this.probe.read(this.topic(name))
    assertSameBySymbol(valuesByKey(await read(TOPICS.bars)), expected.bars, 'bars')
    assertSameBySymbol(valuesByKey(await read(TOPICS.features)), expected.features, 'features')
    assertSameBySymbol(valuesByKey(await read(TOPICS.predictions)), expected.predictions, 'predictions')
    assertSameSnapshots(await read(TOPICS.models), expected.snapshots, 'latest snapshots')
    assert.deepEqual(await read(TOPICS.deadLetters), [], 'no dead letters')
  }

  tails(lines = 15): string {
    return [...this.services]
      .map((service) => `--- ${service.name} (${service.describeExit()}) ---\n${service.tail(lines)}`)
      .join('\n')
  }

  /** Stops every service it started (SIGKILL: nothing a test checks depends on a clean stop) and the probe. */
  async close(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await stopServices(this.services, signal)
    await this.probe.close()
  }
}
