// buildApp's trustProxy: the rate limit keys on the client an allowed proxy names, and on the
// socket's address otherwise (a spoofed X-Forwarded-For from anyone else changes nothing).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp } from '../../../../test/fixtures/predictor/build-test-app.ts'

const INGRESS = '10.1.2.3'
const get = (remoteAddress: string, forwardedFor: string) => ({
  url: '/api/v1/symbols',
  remoteAddress,
  headers: { 'x-forwarded-for': forwardedFor },
})

test('behind a trusted proxy each forwarded client has its own rate limit', async () => {
  const { app } = await buildTestApp({ rateLimitPerMinute: 1, trustProxy: ['10.0.0.0/8'] })
  assert.equal((await app.inject(get(INGRESS, '203.0.113.7'))).statusCode, 200)
  assert.equal((await app.inject(get(INGRESS, '203.0.113.8'))).statusCode, 200)
  assert.equal((await app.inject(get(INGRESS, '203.0.113.7'))).statusCode, 429)
  // Not from the proxy: X-Forwarded-For is ignored, the socket's address is the client.
  assert.equal((await app.inject(get('198.51.100.1', '203.0.113.9'))).statusCode, 200)
  assert.equal((await app.inject(get('198.51.100.1', '203.0.113.10'))).statusCode, 429)
  await app.close()
})

test('without trustProxy (the default) every request through the proxy counts against the proxy', async () => {
  const { app } = await buildTestApp({ rateLimitPerMinute: 1 })
  assert.equal((await app.inject(get(INGRESS, '203.0.113.7'))).statusCode, 200)
  assert.equal((await app.inject(get(INGRESS, '203.0.113.8'))).statusCode, 429)
  await app.close()
})
