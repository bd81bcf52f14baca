import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { checkSettings } from './check-settings.ts'

test('a free port on a local address passes; a port in use, a foreign or unresolvable host does not', async () => {
  assert.deepEqual(await checkSettings(['httpHost', 'httpPort'], { httpHost: '127.0.0.1', httpPort: 0 }), [])
  const taken = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => taken.once('listening', resolve))
  const { port } = taken.address() as AddressInfo
  try {
    assert.deepEqual(
      await checkSettings(['httpHost', 'httpPort'], { httpHost: '127.0.0.1', httpPort: port }),
      [`--host / HOST = "127.0.0.1", --port / PORT = ${port}: the port is already in use`],
    )
    assert.deepEqual(
      await checkSettings(['healthHost', 'healthPort'], { healthHost: '127.0.0.1', healthPort: port }),
      [
        `--health-host / QUOTECAST_HEALTH_HOST = "127.0.0.1", --health-port / QUOTECAST_HEALTH_PORT = ${port}: the port is already in use`,
      ],
    )
  } finally {
    taken.close()
  }
  const [unresolvable] = await checkSettings(['httpHost', 'httpPort'], {
    httpHost: 'evil.invalid',
    httpPort: 0,
  })
  assert.match(
    unresolvable ?? '',
    /^--host \/ HOST = "evil.invalid", --port \/ PORT = 0: the host name does not resolve/,
  )
  const [foreign] = await checkSettings(['httpHost', 'httpPort'], { httpHost: '192.0.2.1', httpPort: 0 })
  assert.equal(
    foreign,
    '--host / HOST = "192.0.2.1", --port / PORT = 0: the address is not one of this machine',
  )
})

test('a check runs only for a command that reads all of its settings', async () => {
  assert.deepEqual(await checkSettings(['httpHost'], { httpHost: 'evil.invalid' }), [])
  assert.deepEqual(
    await checkSettings(['healthHost', 'healthPort'], { healthHost: '127.0.0.1', healthPort: 0 }),
    [],
  )
})

test('SASL needs a user and a password once a broker is configured', async () => {
  const names = ['kafka', 'kafkaSecurity', 'kafkaUsername', 'kafkaPassword'] as const
  assert.deepEqual(await checkSettings(names, { kafka: ['b:9093'], kafkaSecurity: 'SASL_SSL' }), [
    '--kafka-username / KAFKA_SASL_USERNAME is required with --kafka-security / KAFKA_SECURITY_PROTOCOL = SASL_SSL',
    '--kafka-password / KAFKA_SASL_PASSWORD is required with --kafka-security / KAFKA_SECURITY_PROTOCOL = SASL_SSL',
  ])
  assert.deepEqual(
    await checkSettings(names, {
      kafka: ['b:9093'],
      kafkaSecurity: 'SASL_PLAINTEXT',
      kafkaUsername: 'u',
      kafkaPassword: 'p',
    }),
    [],
  )
  assert.deepEqual(await checkSettings(names, { kafka: ['b:9093'], kafkaSecurity: 'SSL' }), [])
})

test('the CA file must be readable and hold a PEM certificate', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'quotecast-ca-'))
  const good = join(folder, 'ca.crt')
  const bad = join(folder, 'not-a-ca.txt')
  writeFileSync(good, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
  writeFileSync(bad, 'hello')
  assert.deepEqual(await checkSettings(['kafkaCaFile'], { kafkaCaFile: good }), [])
  assert.deepEqual(await checkSettings(['kafkaCaFile'], { kafkaCaFile: bad }), [
    `--kafka-ca-file / KAFKA_SSL_CA_FILE = ${JSON.stringify(bad)}: holds no PEM certificate`,
  ])
  assert.deepEqual(await checkSettings(['kafkaCaFile'], { kafkaCaFile: join(folder, 'missing') }), [
    `--kafka-ca-file / KAFKA_SSL_CA_FILE = ${JSON.stringify(join(folder, 'missing'))}: cannot be read (ENOENT)`,
  ])
})
