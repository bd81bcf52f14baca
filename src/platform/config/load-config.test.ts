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

test('integers are plain decimal digits: no exponent, hex, sign, fraction or blank', () => {
  for (const text of ['1e3', '0x10', '+6', '6.0', ' 6', '-1', '0b11', 'Infinity']) {
    const result = loadConfig(['partitions'], { flags: { partitions: text }, env: {} })
    assert.equal(result.ok, false, text)
    assert.match(
      result.error,
      /--partitions \/ QUOTECAST_PARTITIONS = .*: must be a whole number in decimal digits/,
    )
  }
  assert.deepEqual(loadConfig(['partitions'], { flags: { partitions: '12' }, env: {} }), {
    ok: true,
    value: { partitions: 12 },
  })
  const speed = loadConfig(['replaySpeed'], { flags: { replaySpeed: '1e3' }, env: {} })
  assert.equal(speed.ok, false)
  assert.deepEqual(loadConfig(['replaySpeed'], { flags: { replaySpeed: '0.5' }, env: {} }), {
    ok: true,
    value: { replaySpeed: 0.5 },
  })
})

test('a broker port outside 1…65535 is refused', () => {
  const result = loadConfig(['kafka'], { flags: {}, env: { KAFKA_BOOTSTRAP_SERVERS: 'host:99999' } })
  assert.equal(result.ok, false)
  assert.match(result.error, /--kafka \/ KAFKA_BOOTSTRAP_SERVERS = "host:99999": the port must be 1 to 65535/)
  assert.equal(loadConfig(['kafka'], { flags: {}, env: { KAFKA_BOOTSTRAP_SERVERS: 'host:0' } }).ok, false)
})

test('an empty flag is a value (refused where empty is not valid); an empty variable is unset', () => {
  const flag = loadConfig(['corsOrigin'], { flags: { corsOrigin: '' }, env: {} })
  assert.equal(flag.ok, false)
  assert.match(flag.error, /--cors-origin \/ QUOTECAST_CORS_ORIGIN = "": must be \*, or origins/)
  assert.deepEqual(loadConfig(['corsOrigin'], { flags: {}, env: { QUOTECAST_CORS_ORIGIN: '' } }), {
    ok: true,
    value: { corsOrigin: '*' },
  })
  assert.deepEqual(loadConfig(['topicPrefix'], { flags: { topicPrefix: '' }, env: {} }), {
    ok: true,
    value: { topicPrefix: '' },
  })
  const origins = 'https://a.example.com, http://localhost:5173'
  assert.deepEqual(loadConfig(['corsOrigin'], { flags: { corsOrigin: origins }, env: {} }), {
    ok: true,
    value: { corsOrigin: origins },
  })
  for (const bad of ['https://a.example.com,', 'a.example.com', 'https://a.example.com/path'])
    assert.equal(loadConfig(['corsOrigin'], { flags: { corsOrigin: bad }, env: {} }).ok, false, bad)
})

test('listen addresses default to 127.0.0.1; --trust-proxy takes addresses and CIDR ranges only', () => {
  assert.deepEqual(loadConfig(['httpHost', 'healthHost', 'trustProxy'], { flags: {}, env: {} }), {
    ok: true,
    value: { httpHost: '127.0.0.1', healthHost: '127.0.0.1', trustProxy: undefined },
  })
  assert.deepEqual(
    loadConfig(['trustProxy'], {
      flags: {},
      env: { QUOTECAST_TRUST_PROXY: '10.0.0.0/8, fd00::/8,192.0.2.1' },
    }),
    { ok: true, value: { trustProxy: ['10.0.0.0/8', 'fd00::/8', '192.0.2.1'] } },
  )
  for (const bad of ['10.0.0.0/33', 'fd00::/129', 'ingress', '10.0.0.0/8/1', 'true', '1'])
    assert.equal(loadConfig(['trustProxy'], { flags: { trustProxy: bad }, env: {} }).ok, false, bad)
  assert.equal(loadConfig(['httpHost'], { flags: { httpHost: 'a b' }, env: {} }).ok, false)
})
