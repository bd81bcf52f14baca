import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { buildTestApp } from '../../../../test/fixtures/predictor/build-test-app.ts'
import { errorResponse } from './api-schemas.ts'
import { createErrorResponder, toApiError } from './handle-errors.ts'

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

test('whatever is thrown, without a code, a status or even an Error, becomes a JSON error', () => {
  const cases: [unknown, string, number][] = [
    [Object.assign(new Error('Range Not Satisfiable'), { status: 416 }), 'range_not_satisfiable', 416],
    [Object.assign(new Error('Precondition Failed'), { statusCode: 412 }), 'precondition_failed', 412],
    [Object.assign(new Error('gone'), { statusCode: 404 }), 'not_found', 404],
    [Object.assign(new Error('odd'), { statusCode: 409 }), 'bad_request', 400],
    [Object.assign(new Error('odd'), { statusCode: 'teapot' }), 'internal', 500],
    [{ statusCode: 400, message: 42 }, 'bad_request', 400],
    ['a string', 'internal', 500],
    [null, 'internal', 500],
    [undefined, 'internal', 500],
  ]
  for (const [thrown, code, status] of cases) {
    const error = toApiError(thrown)
    assert.deepEqual([error.code, error.statusCode], [code, status], String(thrown))
  }
  const range = toApiError(
    Object.assign(new Error('x'), {
      status: 416,
      headers: { 'Content-Range': 'bytes */5791', 'X-Other': 'y' },
    }),
  )
  assert.deepEqual(range.headers, { 'content-range': 'bytes */5791' })
})

test('a flood of bad requests writes a few log lines without stacks', async () => {
  const lines: string[] = []
  const { app } = await buildTestApp({
    logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }),
  })
  try {
    const startedMs = Date.now()
    for (let i = 0; i < 4852; i += 1) {
      const response = await app.inject({ url: '/', headers: { range: 'bytes=999999999-' } })
      assert.equal(response.statusCode, 416)
    }
    const windows = Math.floor((Date.now() - startedMs) / 10_000) + 1
    const refused = lines.map(
      (line) => JSON.parse(line) as { msg: string; statusCode: number; err?: unknown },
    )
    assert.ok(refused.length > 0 && refused.length <= 10 * windows, `${String(refused.length)} lines`)
    for (const entry of refused) {
      assert.deepEqual([entry.msg, entry.statusCode, entry.err], ['request refused', 416, undefined])
    }
    assert.doesNotMatch(lines.join(''), /\bstack\b|\n\s+at /)
  } finally {
    await app.close()
  }
})

test('5xx are logged with their cause, at most 10 lines per 10 s, the next saying how many it stands for', () => {
  const lines: { msg: string; suppressed?: number; err?: { message: string } }[] = []
  let nowMs = 0
  const respond = createErrorResponder({ now: () => nowMs })
  const request = {
    id: 'req-1',
    method: 'GET',
    url: '/x',
    log: {
      error: (line: (typeof lines)[number], msg: string) => void lines.push({ ...line, msg }),
      debug: () => undefined,
    },
  }
  const sent: number[] = []
  const reply = {
    raw: { headersSent: false, destroy: () => assert.fail('destroyed') },
    sent: false,
    headers: () => reply,
    header: () => reply,
    type: () => reply,
    code: (status: number) => (sent.push(status), reply),
    send: () => reply,
  }
  const fail = (): void => respond(request as never, reply as never, new Error('boom'))
  for (let i = 0; i < 25; i += 1) fail()
  nowMs = 10_000
  fail()
  assert.equal(sent.length, 26)
  assert.ok(sent.every((status) => status === 500))
  assert.equal(lines.length, 11)
  assert.equal(lines[0]?.err?.message, 'boom')
  assert.deepEqual(
    lines.map((line) => line.suppressed),
    [...Array.from({ length: 10 }, () => undefined), 15],
  )
})
