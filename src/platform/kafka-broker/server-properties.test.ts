import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderProperties, serverProperties } from './server-properties.ts'

test('a single-node KRaft broker on loopback ports with test-sized internal topics', () => {
  const properties = serverProperties({ brokerPort: 19092, controllerPort: 19093, logDir: '/tmp/kafka-data' })
  assert.equal(properties['process.roles'], 'broker,controller')
  assert.equal(properties['controller.quorum.voters'], '1@127.0.0.1:19093')
  assert.equal(properties['listeners'], 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093')
  assert.equal(properties['advertised.listeners'], 'PLAINTEXT://127.0.0.1:19092')
  assert.equal(properties['offsets.topic.replication.factor'], 1)
  assert.equal(properties['transaction.state.log.min.isr'], 1)
  assert.equal(properties['auto.create.topics.enable'], false)
})

test('extra listeners are advertised and mapped; extra properties override the defaults', () => {
  const properties = serverProperties({
    brokerPort: 1,
    controllerPort: 2,
    logDir: '/d',
    extraListeners: [{ name: 'SCRAM', securityProtocol: 'SASL_PLAINTEXT', port: 3 }],
    extraProperties: { 'num.io.threads': 8, 'sasl.enabled.mechanisms': 'SCRAM-SHA-256' },
  })
  assert.equal(properties['advertised.listeners'], 'PLAINTEXT://127.0.0.1:1,SCRAM://127.0.0.1:3')
  assert.match(String(properties['listener.security.protocol.map']), /SCRAM:SASL_PLAINTEXT/)
  assert.equal(properties['num.io.threads'], 8)
  assert.equal(properties['sasl.enabled.mechanisms'], 'SCRAM-SHA-256')
})

test('rendered values keep # and escape backslashes and newlines', () => {
  assert.equal(
    renderProperties({ a: 'x#y', b: 'c:\\d', c: 'line1\nline2', d: true }),
    'a=x#y\nb=c:\\\\d\nc=line1\\nline2\nd=true\n',
  )
})
