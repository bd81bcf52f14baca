import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { isPortOpen } from '../../src/platform/kafka-broker/free-port.ts'
import { KAFKA_VERSION } from '../../src/platform/kafka-broker/kafka-version.ts'
import { removeStaleWorkDirs } from '../../src/platform/kafka-broker/stale-work-dirs.ts'
import { startKafkaBroker } from '../../src/platform/kafka-broker/start-broker.ts'
import { harnessKafkaVersion, kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'

const CONSUMER_GROUP_HEARTBEAT_API_KEY = 68

async function createTopic(bootstrapBrokers: string[], topic: string): Promise<void> {
  const admin = new Admin({ clientId: 'kafka-broker-test-admin', bootstrapBrokers })
  try {
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
  } finally {
    await admin.close()
  }
}

async function produce(bootstrapBrokers: string[], topic: string, key: string, value: string): Promise<void> {
  const producer = new Producer({
    clientId: 'kafka-broker-test-producer',
    bootstrapBrokers,
    serializers: stringSerializers,
  })
  try {
    await producer.send({ messages: [{ topic, key, value }] })
  } finally {
    await producer.close()
  }
}

/** Reads the first message of a topic with a fresh group on the new consumer-group protocol. */
async function consumeFirst(
  bootstrapBrokers: string[],
  topic: string,
): Promise<{ key: string; value: string }> {
  const consumer = new Consumer({
    clientId: 'kafka-broker-test-consumer',
    groupId: `${topic}-group`,
    groupProtocol: 'consumer',
    bootstrapBrokers,
    deserializers: stringDeserializers,
  })
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest' })
    try {
      for await (const message of stream) return { key: message.key, value: message.value }
      throw new Error(`the stream of ${topic} ended without a message`)
    } finally {
      await stream.close()
    }
  } finally {
    await consumer.close(true)
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return true
    await sleep(100)
  }
  return condition()
}

test('the broker round-trips a message through a new topic', { timeout: 60_000 }, async () => {
  const bootstrapBrokers = kafkaBootstrapBrokers()
  const topic = `${uniqueTopicPrefix('kafka-broker')}.round-trip`
  await createTopic(bootstrapBrokers, topic)
  await produce(bootstrapBrokers, topic, 'AAPL', '189.25')
  assert.deepEqual(await consumeFirst(bootstrapBrokers, topic), { key: 'AAPL', value: '189.25' })
})

test('the broker is Apache Kafka 4.2 with the new consumer-group protocol', async () => {
  const admin = new Admin({ clientId: 'kafka-broker-test-apis', bootstrapBrokers: kafkaBootstrapBrokers() })
  try {
    const apis = await admin.listApis()
    assert.ok(
      apis.some((api) => api.apiKey === CONSUMER_GROUP_HEARTBEAT_API_KEY),
      'the broker must support ConsumerGroupHeartbeat (KIP-848)',
    )
  } finally {
    await admin.close()
  }
  const version = harnessKafkaVersion()
  if (version !== undefined) assert.match(version, /^4\.2\.\d+$/)
  assert.match(KAFKA_VERSION, /^4\.2\.\d+$/)
})

test(
  'startKafkaBroker keeps data across a restart and leaves nothing behind',
  { timeout: 120_000 },
  async () => {
    const broker = await startKafkaBroker({ quiet: true })
    const pid = broker.pid
    try {
      assert.ok(pid !== undefined && isProcessAlive(pid))
      const bootstrapBrokers = [broker.bootstrap]
      const topic = `${uniqueTopicPrefix('kafka-broker-restart')}.kept`
      await createTopic(bootstrapBrokers, topic)
      await produce(bootstrapBrokers, topic, 'MSFT', '411.10')
      await broker.restart()
      assert.notEqual(broker.pid, pid)
      assert.deepEqual(await consumeFirst(bootstrapBrokers, topic), { key: 'MSFT', value: '411.10' })
    } finally {
      const lastPid = broker.pid
      await broker.stop()
      assert.equal(await isPortOpen(Number(broker.bootstrap.split(':')[1])), false, 'the port must be closed')
      assert.ok(lastPid !== undefined && !isProcessAlive(lastPid), 'the broker JVM must be gone')
      assert.equal(existsSync(dirname(broker.logPath)), false, 'the temp dir must be removed')
    }
  },
)

test('a broker dies with the process that started it, even on SIGKILL', { timeout: 90_000 }, async () => {
  const startBrokerModule = new URL('../../src/platform/kafka-broker/start-broker.ts', import.meta.url).href
  const script = `
    const { startKafkaBroker } = await import(${JSON.stringify(startBrokerModule)})
    const broker = await startKafkaBroker({ quiet: true })
    console.log(JSON.stringify({ pid: broker.pid, bootstrap: broker.bootstrap, logPath: broker.logPath }))
    setInterval(() => {}, 1000)
  `
  const parent = spawn(process.execPath, ['--input-type=module', '--eval', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const started = await new Promise<{ pid: number; bootstrap: string; logPath: string }>(
    (resolve, reject) => {
      let output = ''
      parent.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8')
        const line = output.split('\n').find((each) => each.startsWith('{'))
        if (line !== undefined)
          resolve(JSON.parse(line) as { pid: number; bootstrap: string; logPath: string })
      })
      parent.once('exit', (code) => {
        reject(new Error(`the broker's parent exited early (code ${code ?? '?'}): ${output}`))
      })
    },
  )
  assert.ok(isProcessAlive(started.pid))
  parent.kill('SIGKILL')
  assert.ok(await waitUntil(() => !isProcessAlive(started.pid), 10_000), 'the orphaned broker JVM must die')
  const port = Number(started.bootstrap.split(':')[1])
  assert.ok(await waitUntil(async () => !(await isPortOpen(port)), 5_000), 'the port must be closed')
  removeStaleWorkDirs()
  assert.equal(existsSync(dirname(started.logPath)), false, "the dead parent's temp dir must be swept")
})
