import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { busContractSuite } from '../fixtures/bus/bus-contract.ts'
import type { BusRecord } from '../../src/platform/bus/bus.ts'
import { createKafkaBus, type KafkaBusOptions } from '../../src/platform/bus/kafka-bus.ts'
import { QuotecastError } from '../../src/platform/errors.ts'
import { freePort } from '../../src/platform/kafka-broker/free-port.ts'
import { startKafkaBroker } from '../../src/platform/kafka-broker/start-broker.ts'
import { kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'

/** Fast group reactions for tests: the broker's group.min.session.timeout.ms is 6 s. */
const testOptions = (bootstrapServers: string[], clientId: string): KafkaBusOptions => ({
  bootstrapServers,
  clientId,
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 300,
})

busContractSuite('KafkaBus', () => {
  const bus = createKafkaBus(testOptions(kafkaBootstrapBrokers(), 'contract'))
  return Promise.resolve({
    bus,
    topicPrefix: `${uniqueTopicPrefix('contract')}.`,
    cleanup: () => bus.close(),
  })
})

describe('KafkaBus on a broker that is down', () => {
  test('fails with BUS_UNAVAILABLE naming the address, quickly, when nothing listens', async () => {
    const address = `127.0.0.1:${await freePort()}`
    const bus = createKafkaBus({
      bootstrapServers: [address],
      clientId: 'unreachable',
      retries: 1,
      connectTimeoutMs: 500,
    })
    const startedAt = Date.now()
    const isUnavailable = (error: unknown): boolean => {
      assert.ok(QuotecastError.is(error, 'BUS_UNAVAILABLE'), String(error))
      assert.match(error.message, new RegExp(address.replaceAll('.', '\\.')))
      assert.ok(error.cause !== undefined)
      return true
    }
    await assert.rejects(bus.ensureTopics([{ name: 'never', partitions: 1, configs: {} }]), isUnavailable)
    await assert.rejects(bus.produce([{ topic: 'never', key: 'k', value: null }]), isUnavailable)
    await assert.rejects(bus.consumer({ groupId: 'never', topics: ['never'] }), isUnavailable)
    assert.ok(Date.now() - startedAt < 10_000, 'each failure takes the retries and backoff, no more')
    await bus.close()
    await assert.rejects(bus.produce([]), (error) => QuotecastError.is(error, 'BUS_CLOSED'))
  })

  test(
    'rides out a broker restart: producing waits for it, consuming carries on',
    { timeout: 120_000 },
    async () => {
      const broker = await startKafkaBroker({ quiet: true })
      const bus = createKafkaBus(testOptions([broker.bootstrap], 'restart'))
      try {
        const topic = `${uniqueTopicPrefix('restart')}.quotes`
        const value = (text: string): Uint8Array => new TextEncoder().encode(text)
        await bus.ensureTopics([{ name: topic, partitions: 2, configs: {} }])
        await bus.produce(['a', 'b', 'c'].map((key) => ({ topic, key, value: value(`before-${key}`) })))
        const consumer = await bus.consumer({ groupId: `${topic}-group`, topics: [topic] })
        const received: BusRecord[] = []
        const pollFor = async (count: number): Promise<void> => {
          const deadline = Date.now() + 60_000
          while (received.length < count && Date.now() < deadline) {
            try {
              received.push(...(await consumer.poll({ maxWaitMs: 200 })))
            } catch (error) {
              // A poll may fail while the broker is away; the service loop polls again.
              assert.ok(QuotecastError.is(error), String(error))
            }
          }
        }
        await pollFor(3)
        await consumer.commit(received)

        await broker.stopProcess()
        const producing = bus.produce(['d', 'e'].map((key) => ({ topic, key, value: value(`after-${key}`) })))
        await broker.startProcess()
        await producing
        await pollFor(5)
        const text = (record: BusRecord): string => new TextDecoder().decode(record.value ?? new Uint8Array())
        assert.deepEqual(received.map(text).sort(), [
          'after-d',
          'after-e',
          'before-a',
          'before-b',
          'before-c',
        ])
        assert.equal((await bus.readToEnd(topic)).length, 5)
      } finally {
        await bus.close()
        await broker.stop()
      }
    },
  )
})
