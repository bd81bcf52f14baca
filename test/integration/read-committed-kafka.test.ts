// A restarted instance keeps its transactional id, so its producer id: a partition then holds
// aborted and committed transactions of one producer id, and abort markers of transactions that
// wrote nothing there. Every committed record must still be read — by a restore and by a consumer.
import { Producer, compatibilityPartitioner } from '@platformatic/kafka'
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { BusRecord } from '../../src/platform/bus/bus.ts'
import { createKafkaBus } from '../../src/platform/bus/kafka-bus.ts'
import { kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const valuesOf = (records: readonly BusRecord[]): string[] =>
  records.map((record) => (record.value === null ? '(null)' : decoder.decode(record.value)))

const producers: Producer[] = []
after(async () => {
  await Promise.allSettled(producers.map((producer) => producer.close(true)))
})

/** A producer of the transactional id as the bus makes one: a restart gets the same producer id. */
function transactional(transactionalId: string): Producer {
  const producer = new Producer({
    clientId: 'read-committed-test',
    bootstrapBrokers: kafkaBootstrapBrokers(),
    idempotent: true,
    transactionalId,
    producerId: -1n,
    producerEpoch: -1,
    partitioner: compatibilityPartitioner,
  })
  producers.push(producer)
  return producer
}

describe('read_committed reads of one producer id that aborted around a commit', () => {
  test('restore and consumer see every committed record, no aborted one', { timeout: 60_000 }, async () => {
    const prefix = uniqueTopicPrefix('read-committed')
    const topic = `${prefix}.log`
    const bus = createKafkaBus({ bootstrapServers: kafkaBootstrapBrokers(), clientId: 'read-committed' })
    try {
      await bus.ensureTopics([{ name: topic, partitions: 1, configs: { 'max.message.bytes': '2048' } }])
      const message = (value: string | Uint8Array) => ({
        topic,
        key: Buffer.from('K'),
        partition: 0,
        value: Buffer.from(typeof value === 'string' ? encoder.encode(value) : value),
      })
      const transactionalId = `${prefix}-instance`

      // A crashed instance: its transaction stays open until its successor fences it.
      const crashed = transactional(transactionalId)
      const open = await crashed.beginTransaction()
      await open.send({ messages: [message('aborted by fencing')] })

      const restarted = transactional(transactionalId)
      const first = await restarted.beginTransaction()
      await first.send({ messages: [message('committed 1')] })
      await first.commit()

      // A transaction that added the partition and wrote nothing there: its abort marker stands alone.
      const empty = await restarted.beginTransaction()
      await assert.rejects(() => empty.send({ messages: [message(new Uint8Array(4096))] }))
      await empty.abort()

      // A failed send leaves the producer unusable: one more restart commits the last record.
      const second = await transactional(transactionalId).beginTransaction()
      await second.send({ messages: [message('committed 2')] })
      await second.commit()

      assert.deepEqual(valuesOf(await bus.readToEnd(topic)), ['committed 1', 'committed 2'], 'readToEnd')

      const consumer = await bus.consumer({
        groupId: `${prefix}.group`,
        topics: [topic],
        fromBeginning: true,
      })
      try {
        const seen: BusRecord[] = []
        const deadline = Date.now() + 20_000
        while (seen.length < 2 && Date.now() < deadline)
          seen.push(...(await consumer.poll({ maxWaitMs: 500 })))
        assert.deepEqual(valuesOf(seen), ['committed 1', 'committed 2'], 'a group consumer')
      } finally {
        await consumer.close()
      }
    } finally {
      await bus.close()
    }
  })
})
