import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { buildTestApp } from '../fixtures/build-test-app.ts'
import { errorResponse } from './api-schemas.ts'

test('hostile or malformed requests get a JSON 4xx, never a 500', async () => {
  const { app } = await buildTestApp()
  try {
    const urls = [
      '/api/v1/predictions/%',
      '/api/v1/predictions/%E0%A4%A',
      `/api/v1/predictions/${'A'.repeat(300)}`,
      '/api/v1/history/AAPL?limit=%ZZ',
      '/api/v1/history/AAPL?limit[]=1',
      '/api/v1/history/AAPL?from=99999999999999999999',
      '/api/v1/history/AAPL?__proto__=1',
      '/api/v1/symbols?x=1',
      '/api/v1/stream?symbol=AAPL&symbol=^GSPC',
      '/api/v1/nope',
      '/nope',
    ]
    for (const url of urls) {
      const response = await app.inject({ url })
      assert.ok(
        response.statusCode >= 400 && response.statusCode < 500,
        `${url}: ${response.statusCode} ${response.body}`,
      )
      const body = errorResponse.parse(response.json())
      assert.equal(body.statusCode, response.statusCode)
    }
  } finally {
    await app.close()
  }
})

test('a failure inside a handler is a 500 that leaks nothing, logged with its cause and request id', async () => {
  const lines: string[] = []
  const { app, aapl } = await buildTestApp({
    predict: () => {
      throw new Error('secret detail at /srv/model.ts:42')
    },
    logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
  })
  try {
    const response = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: aapl.at(-1)!.row })
    assert.equal(response.statusCode, 500)
    assert.deepEqual(response.json(), { statusCode: 500, error: 'internal', message: 'internal error' })
    const logged = lines.map(
      (line) => JSON.parse(line) as { msg: string; reqId?: string; err?: { message: string } },
    )
    assert.equal(logged.length, 1)
    const [entry] = logged
    assert.ok(entry !== undefined)
    assert.equal(entry.msg, 'request failed')
    assert.match(String(entry.reqId), /^req-/)
    assert.equal(entry.err?.message, 'secret detail at /srv/model.ts:42')
  } finally {
    await app.close()
  }
})

test('past the rate limit the API answers 429; health and metrics are not limited', async () => {
  const { app } = await buildTestApp({ rateLimitPerMinute: 2 })
  try {
    const statuses = []
    for (let i = 0; i < 3; i += 1) statuses.push((await app.inject({ url: '/api/v1/symbols' })).statusCode)
    assert.deepEqual(statuses, [200, 200, 429])
    const limited = await app.inject({ url: '/api/v1/predictions/AAPL' })
    assert.equal(errorResponse.parse(limited.json()).error, 'rate_limited')
    assert.equal(limited.headers['x-ratelimit-limit'], '2')
    for (let i = 0; i < 3; i += 1) assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200)
  } finally {
    await app.close()
  }
})
