import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp } from '../../../../test/fixtures/predictor/build-test-app.ts'
import { ApiError } from './api-error.ts'
import { errorResponse } from './api-schemas.ts'
import { createCorsPolicy } from './cors-policy.ts'

const DASH = 'https://dash.example.org'
const EVIL = 'https://evil.example.com'

test('headersFor: any origin is *, a list echoes its members and always varies by Origin', () => {
  const cases: [string, string | undefined, Record<string, string>][] = [
    ['*', undefined, { 'access-control-allow-origin': '*' }],
    ['*', EVIL, { 'access-control-allow-origin': '*' }],
    [`${DASH}, *`, EVIL, { 'access-control-allow-origin': '*' }],
    [DASH, DASH, { 'access-control-allow-origin': DASH, vary: 'Origin' }],
    [`https://a.example, ${DASH}`, DASH, { 'access-control-allow-origin': DASH, vary: 'Origin' }],
    [DASH, EVIL, { vary: 'Origin' }],
    [DASH, undefined, { vary: 'Origin' }],
  ]
  for (const [allowed, origin, expected] of cases) {
    const policy = createCorsPolicy(allowed)
    assert.deepEqual(policy.headersFor(origin), expected, `${allowed} ← ${origin}`)
    assert.equal(policy.isAnyOrigin, allowed.includes('*'), allowed)
  }
})

test('preflightHeaders: the methods, the requested headers echoed, Vary', () => {
  assert.deepEqual(
    createCorsPolicy(DASH).preflightHeaders({
      origin: DASH,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    }),
    {
      'access-control-allow-origin': DASH,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      vary: 'Origin, Access-Control-Request-Headers',
    },
  )
  assert.deepEqual(
    createCorsPolicy('*').preflightHeaders({ origin: EVIL, 'access-control-request-method': 'GET' }),
    {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST',
      vary: 'Access-Control-Request-Headers',
    },
  )
})

test('preflightHeaders rejects a preflight without Origin or method, or from another origin', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['*', {}, 'bad_request', 'header.origin'],
    ['*', { 'access-control-request-method': 'GET' }, 'bad_request', 'header.origin'],
    ['*', { origin: DASH }, 'bad_request', 'header.access-control-request-method'],
    [DASH, { origin: EVIL, 'access-control-request-method': 'GET' }, 'origin_not_allowed', 'header.origin'],
  ]
  for (const [allowed, headers, code, parameter] of cases)
    assert.throws(
      () => createCorsPolicy(allowed).preflightHeaders(headers),
      (error) => error instanceof ApiError && error.code === code && error.parameter === parameter,
      JSON.stringify(headers),
    )
})

test('a rejected preflight is the API’s JSON error naming what is wrong; an allowed one a 204', async () => {
  const { app } = await buildTestApp({ corsOrigin: DASH })
  const preflight = (headers: Record<string, string>) =>
    app.inject({ method: 'OPTIONS', url: '/api/v1/predictions/AAPL', headers })
  try {
    const evil = await preflight({ origin: EVIL, 'access-control-request-method': 'GET' })
    assert.equal(evil.statusCode, 403)
    assert.match(String(evil.headers['content-type']), /^application\/json/)
    assert.deepEqual(errorResponse.parse(evil.json()), {
      statusCode: 403,
      error: 'origin_not_allowed',
      message: `origin "${EVIL}" is not allowed`,
      parameter: 'header.origin',
    })
    assert.equal(evil.headers['access-control-allow-origin'], undefined)

    const noMethod = await preflight({ origin: DASH })
    assert.equal(noMethod.statusCode, 400)
    assert.deepEqual(errorResponse.parse(noMethod.json()), {
      statusCode: 400,
      error: 'bad_request',
      message: 'a CORS preflight needs an Access-Control-Request-Method header',
      parameter: 'header.access-control-request-method',
    })

    const allowed = await preflight({ origin: DASH, 'access-control-request-method': 'GET' })
    assert.equal(allowed.statusCode, 204)
    assert.equal(allowed.body, '')
    assert.equal(allowed.headers['access-control-allow-origin'], DASH)
    assert.equal(allowed.headers['access-control-allow-methods'], 'GET, POST')
    assert.equal(allowed.headers['x-content-type-options'], 'nosniff')
  } finally {
    await app.close()
  }
})

test('the base headers come with every answer’s CORS headers, in one object per origin', () => {
  const policy = createCorsPolicy(DASH, { 'x-content-type-options': 'nosniff' })
  assert.deepEqual(policy.headersFor(DASH), {
    'x-content-type-options': 'nosniff',
    vary: 'Origin',
    'access-control-allow-origin': DASH,
  })
  assert.deepEqual(policy.headersFor(EVIL), { 'x-content-type-options': 'nosniff', vary: 'Origin' })
  assert.equal(policy.headersFor(DASH), policy.headersFor(DASH))
})
