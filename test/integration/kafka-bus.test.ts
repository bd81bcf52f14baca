import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Connection, listTransactionsV1 } from '@platformatic/kafka'
import { busContractSuite } from '../fixtures/bus/bus-contract.ts'
import type { BusConsumer, BusRecord } from '../../src/platform/bus/bus.ts'
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

/** The transactional ids starting with `prefix` that the (single) broker lists, sorted. */
async function openTransactionsOf(bootstrapServers: readonly string[], prefix: string): Promise<string[]> {
  const [host, port] = (bootstrapServers[0] ?? '').split(':')
  const connection = new Connection('turns-probe')
  await connection.connect(host ?? 'localhost', Number(port))
  try {
    const response = await listTransactionsV1.api.async(connection, [], [], -1n, null)
    return response.transactionStates
      .map((state) => state.transactionalId)
      .filter((id) => id.startsWith(prefix))
      .sort()
  } finally {
    await new Promise<void>((resolve) => {
      connection.close(() => {
        resolve()
      })
    })
  }
}

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

describe('KafkaBus transactions on two transactional ids', () => {
  test(
    'commits take turns on `<id>` and `<id>-alt`, and a restarted instance fences a transaction left open on either',
    { timeout: 240_000 },
    async (t) => {
      const prefix = uniqueTopicPrefix('turns')
      const input = `${prefix}.in`
      const output = `${prefix}.out`
      const groupId = `${prefix}-group`
      // The transaction timeout is the request timeout: 90 s, so an unfenced transaction holds readers
      // far longer than the 45 s a fenced restart may take on a busy machine.
      const options = {
        ...testOptions(kafkaBootstrapBrokers(), 'turns'),
        instanceId: 'turns-0',
        requestTimeoutMs: 90_000,
      }
      const text = (record: BusRecord): string => new TextDecoder().decode(record.value ?? new Uint8Array())
      const value = (body: string): Uint8Array => new TextEncoder().encode(body)
      const pollOne = async (consumer: BusConsumer): Promise<BusRecord> => {
        const deadline = Date.now() + 60_000
        while (Date.now() < deadline) {
          const [record] = await consumer.poll({ maxWaitMs: 200, maxRecords: 1 })
          if (record !== undefined) return record
        }
        throw new Error(`nothing to consume on ${input}`)
      }

      const predecessor = createKafkaBus(options)
      await predecessor.ensureTopics([
        { name: input, partitions: 1, configs: {} },
        { name: output, partitions: 1, configs: {} },
      ])
      await predecessor.produce(['a', 'b', 'c'].map((key) => ({ topic: input, key, value: value(key) })))
      const first = await predecessor.consumer({ groupId, topics: [input] })
      for (let n = 0; n < 2; n++) {
        const record = await pollOne(first)
        const transaction = await first.beginTransaction()
        await transaction.send([{ topic: output, key: text(record), value: value(`out-${text(record)}`) }])
        await transaction.commit([record])
      }
      const listed = await openTransactionsOf(options.bootstrapServers, groupId)
      assert.deepEqual(listed, [`${groupId}-turns-0`, `${groupId}-turns-0-alt`])

      // The third transaction goes to `<id>` again; leave the fourth open on `<id>-alt` and "crash".
      const third = await pollOne(first)
      const committing = await first.beginTransaction()
      await committing.send([{ topic: output, key: text(third), value: value(`out-${text(third)}`) }])
      await committing.commit([third])
      await predecessor.produce([{ topic: input, key: 'd', value: value('d') }])
      const fourth = await pollOne(first)
      const leftOpen = await first.beginTransaction()
      await leftOpen.send([{ topic: output, key: text(fourth), value: value('left-open') }])
      await predecessor.close()

      // Its transaction would hold every read-committed reader of `output` for the transaction
      // timeout (90 s) unless the successor's first poll fences it.
      const startedAt = Date.now()
      const successor = createKafkaBus(options)
      try {
        const again = await successor.consumer({ groupId, topics: [input] })
        const redone = await pollOne(again)
        assert.equal(text(redone), 'd')
        const transaction = await again.beginTransaction()
        await transaction.send([{ topic: output, key: text(redone), value: value('out-d') }])
        await transaction.commit([redone])
        const outputs = (await successor.readToEnd(output)).map(text)
        const elapsedMs = Date.now() - startedAt
        t.diagnostic(`the successor's transaction was readable ${elapsedMs} ms after its start`)
        assert.deepEqual(outputs, ['out-a', 'out-b', 'out-c', 'out-d'])
        assert.ok(elapsedMs < 45_000, `the transaction left open was not fenced (${elapsedMs} ms)`)
      } finally {
        await successor.close()
      }
    },
  )
})
