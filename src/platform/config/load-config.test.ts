import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig, redactSecrets, secretValues } from './load-config.ts'

test('defaults apply, the environment overrides them, and a flag overrides the environment', () => {
  const result = loadConfig(['partitions', 'interval', 'symbols'], {
    flags: { interval: '5m' },
    env: { QUOTECAST_PARTITIONS: '12', QUOTECAST_INTERVAL: '1h', QUOTECAST_SYMBOLS: ' AAPL, ^GSPC ,' },
  })
  assert.deepEqual(result, {
    ok: true,
    value: { partitions: 12, interval: '5m', symbols: ['AAPL', '^GSPC'] },
  })
})

test('a bad value names the flag, the environment variable, the value and what was expected', () => {
  const result = loadConfig(['partitions', 'kafka'], {
    flags: {},
    env: { QUOTECAST_PARTITIONS: 'many', KAFKA_BOOTSTRAP_SERVERS: 'localhost' },
  })
  assert.equal(result.ok, false)
  assert.match(result.error, /--partitions \/ QUOTECAST_PARTITIONS = "many": .*number/)
  assert.match(result.error, /--kafka \/ KAFKA_BOOTSTRAP_SERVERS = "localhost": must be HOST:PORT/)
})

test('a boolean setting accepts only true/false/1/0', () => {
  assert.deepEqual(loadConfig(['exactlyOnce'], { flags: {}, env: { QUOTECAST_EXACTLY_ONCE: '0' } }), {
    ok: true,
    value: { exactlyOnce: false },
  })
  const bad = loadConfig(['exactlyOnce'], { flags: {}, env: { QUOTECAST_EXACTLY_ONCE: 'maybe' } })
  assert.equal(bad.ok, false)
})

test('secretValues lists configured secrets so logs can redact them', () => {
  assert.deepEqual(
    secretValues({ kafkaPassword: 's3cret-pw', symbols: ['AAPL'], alphaVantageKey: undefined }),
    ['s3cret-pw'],
  )
})

test('redactSecrets hides each secret, also URL-encoded, and leaves short values alone', () => {
  const text = 'GET /query?apikey=k%2By%2F9%3D&x=1 failed; key k+y/9= rejected; pw abc'
  assert.equal(
    redactSecrets(text, ['k+y/9=', 'abc']),
    'GET /query?apikey=[REDACTED]&x=1 failed; key [REDACTED] rejected; pw abc',
  )
})
