import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig } from '../../../platform/config/load-config.ts'
import { DEFAULT_HTTP_LIMITS, HTTP_LIMIT_SETTINGS, httpLimitsOf } from './http-limits.ts'

test('the settings default to DEFAULT_HTTP_LIMITS and convert KiB and seconds', () => {
  const defaults = loadConfig(HTTP_LIMIT_SETTINGS, { flags: {}, env: {} })
  assert.ok(defaults.ok)
  assert.deepEqual(httpLimitsOf(defaults.value), DEFAULT_HTTP_LIMITS)
  const set = loadConfig(HTTP_LIMIT_SETTINGS, {
    flags: { streamMaxClients: '5' },
    env: {
      QUOTECAST_STREAM_MAX_CLIENTS: '7',
      QUOTECAST_STREAM_CLIENT_BUFFER_KIB: '16',
      QUOTECAST_HTTP_REQUEST_TIMEOUT_SEC: '2',
      QUOTECAST_HTTP_MAX_CONNECTIONS: '50',
    },
  })
  assert.ok(set.ok)
  assert.deepEqual(httpLimitsOf(set.value), {
    streamMaxClients: 5,
    streamClientBufferBytes: 16 * 1024,
    requestTimeoutMs: 2000,
    maxConnections: 50,
  })
})

test('a limit that is not a positive integer within its bound is refused naming the setting', () => {
  const cases: [string, string, string][] = [
    ['QUOTECAST_STREAM_MAX_CLIENTS', '0', '--stream-max-clients / QUOTECAST_STREAM_MAX_CLIENTS = "0"'],
    ['QUOTECAST_STREAM_MAX_CLIENTS', '100001', '--stream-max-clients'],
    ['QUOTECAST_STREAM_CLIENT_BUFFER_KIB', '1.5', '--stream-client-buffer-kib'],
    ['QUOTECAST_STREAM_CLIENT_BUFFER_KIB', '65537', '--stream-client-buffer-kib'],
    ['QUOTECAST_HTTP_REQUEST_TIMEOUT_SEC', '-1', '--http-request-timeout-sec'],
    ['QUOTECAST_HTTP_REQUEST_TIMEOUT_SEC', '3601', '--http-request-timeout-sec'],
    ['QUOTECAST_HTTP_MAX_CONNECTIONS', 'many', '--http-max-connections'],
  ]
  for (const [env, value, named] of cases) {
    const result = loadConfig(HTTP_LIMIT_SETTINGS, { flags: {}, env: { [env]: value } })
    assert.ok(!result.ok, `${env}=${value} was accepted`)
    assert.ok(result.error.includes(named), `${env}=${value}: ${result.error}`)
  }
})
