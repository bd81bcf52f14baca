// Issue 8: random and hostile HTTP parameters and bodies get a JSON 4xx, never a 5xx, and nothing
// internal (stack traces, file paths) leaks. In process, through `app.inject`.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { errorResponse } from '../../src/services/predictor/api/api-schemas.ts'
import { SECURITY_HEADERS } from '../../src/services/predictor/api/security-headers.ts'
import { buildTestApp } from '../../src/services/predictor/fixtures/build-test-app.ts'
import { FAULT_PROFILE } from './profile.ts'

/** What `app.inject` is given: a string URL, a method, and for a POST its raw body and type. */
interface HostileRequest {
  readonly method: 'GET' | 'HEAD' | 'DELETE' | 'PUT' | 'PATCH' | 'OPTIONS' | 'POST'
  readonly url: string
  readonly payload?: string
  readonly headers?: Record<string, string>
}

const LEAKS = /\n\s+at |node_modules|file:\/\/|\/work\/|\.ts:\d+|\bstack\b/

const symbolish = fc.oneof(
  fc.constantFrom(
    'AAPL',
    '%5EGSPC',
    '^GSPC',
    'aapl',
    'MSFT',
    '',
    '.',
    '..',
    '%2e%2e',
    '..%2f..%2fetc%2fpasswd',
    '%00',
    '%',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^(%[0-9A-Za-z]{0,2}|[A-Za-z0-9^._~=-]){1,40}$/),
  fc.integer({ min: 200, max: 5000 }).map((length) => 'A'.repeat(length)),
)
const queryValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-1',
    '0',
    '1e999',
    '99999999999999999999',
    '2024-02-30',
    '2024-01-31T25:61',
    '%',
    '[]',
    '{}',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
)
const queryKey = fc.oneof(
  fc.constantFrom('from', 'to', 'limit', 'symbol', '__proto__', 'constructor', 'limit[]', 'from[0]'),
  fc.stringMatching(/^[a-z_]{1,12}$/),
)
const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`))

const getRequest: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(
      '/api/v1/predictions/{s}',
      '/api/v1/scores/{s}',
      '/api/v1/history/{s}',
      '/api/v1/symbols',
      '/api/v1/{s}',
      '/{s}',
      '/docs/{s}',
      '/vendor/{s}',
      '/healthz',
      '/readyz',
    ),
    symbolish,
    query,
    fc.constantFrom<HostileRequest['method']>(
      'GET',
      'GET',
      'GET',
      'HEAD',
      'DELETE',
      'PUT',
      'PATCH',
      'OPTIONS',
      'POST',
    ),
  )
  .map(([path, symbol, search, method]) => ({
    method: method as 'GET',
    url: `${path.replace('{s}', symbol)}${search}`,
  }))

/** The stream endpoint with a query that never validates: a valid one would open an endless stream. */
const streamRequest: fc.Arbitrary<HostileRequest> = fc
  .tuple(query, fc.stringMatching(/^[a-z]{1,8}$/))
  .map(([search, junk]): HostileRequest => ({
    method: 'GET',
    url: `/api/v1/stream${search === '' ? '?' : `${search}&`}x_${junk}=1`,
  }))

const featureRowMutation = fc.oneof(
  fc.constant((row: Record<string, unknown>) => ({ ...row, values: 'all of them' })),
  fc
    .constantFrom('symbol', 'interval', 'barStart', 'barEnd', 'close', 'values', 'schema')
    .map((field) => (row: Record<string, unknown>) => ({ ...row, [field]: undefined })),
  fc
    .tuple(fc.constantFrom('close', 'barStart', 'symbol', 'featureVersion'), fc.jsonValue())
    .map(([field, value]) => (row: Record<string, unknown>) => ({ ...row, [field]: value })),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('NaN', 'Infinity', null, -1e308, 'x'))
    .map(([name, value]) => (row: Record<string, unknown>) => ({
      ...row,
      values: { ...(row['values'] as object), [name]: value },
    })),
)

function postRequest(row: Record<string, unknown>): fc.Arbitrary<HostileRequest> {
  const body = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    featureRowMutation.map((mutate) => JSON.stringify(mutate(row))),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.integer({ min: 1000, max: 50_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 64 * 1024, max: 200_000 }).map((size) => `{"symbol":"${'A'.repeat(size)}"}`),
    fc.constant(''),
  )
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    '*/*',
  )
  return fc.tuple(body, contentType, query).map(([payload, type, search]) => ({
    method: 'POST' as const,
    url: `/api/v1/predict${search}`,
    payload,
    headers: { 'content-type': type },
  }))
}

describe('the HTTP API under hostile requests', () => {
  let app: FastifyInstance
  let row: Record<string, unknown>
  before(async () => {
    const built = await buildTestApp({ rateLimitPerMinute: 1_000_000_000 })
    app = built.app
    row = { ...built.aapl.at(-1)!.row }
  })
  after(async () => {
    await app.close()
  })

  test(
    `${FAULT_PROFILE.hostileRequests} random and hostile requests: a JSON 4xx or a 2xx, never a 5xx, nothing internal`,
    { timeout: 300_000 },
    async (t) => {
      const statuses = new Map<number, number>()
      let refusedPreflights = 0
      t.diagnostic(`profile ${FAULT_PROFILE.name}, seed ${FAULT_PROFILE.seed}`)
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { arbitrary: getRequest, weight: 6 },
            { arbitrary: streamRequest, weight: 1 },
            { arbitrary: postRequest(row), weight: 4 },
          ),
          async (request) => {
            const response = await app.inject(request)
            const status = response.statusCode
            statuses.set(status, (statuses.get(status) ?? 0) + 1)
            const shown = `${request.method} ${request.url.slice(0, 200)} → ${status} ${response.body.slice(0, 300)}`
            assert.ok(status < 500, shown)
            assert.doesNotMatch(response.body, LEAKS, shown)
            for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
              // Swagger UI's pages carry its own policy (it loads its validator badge).
              const isSwaggerPage = name === 'content-security-policy' && request.url.startsWith('/docs/')
              if (isSwaggerPage) assert.match(String(response.headers[name]), /default-src 'self'/, shown)
              else assert.equal(response.headers[name], value, `${name}: ${shown}`)
            }
            // HEAD has no body; every other 4xx, a refused CORS preflight (OPTIONS) included, is the API's error.
            if (status >= 400 && request.method !== 'HEAD') {
              const parsed = errorResponse.safeParse(response.json())
              assert.ok(parsed.success, `not the API's error body: ${shown}`)
              assert.equal(parsed.data.statusCode, status, shown)
              if (request.method === 'OPTIONS') refusedPreflights++
            }
          },
        ),
        { numRuns: FAULT_PROFILE.hostileRequests, seed: FAULT_PROFILE.seed },
      )
      t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`)
      assert.ok((statuses.get(200) ?? 0) > 0 && (statuses.get(400) ?? 0) > 0 && (statuses.get(404) ?? 0) > 0)
      assert.ok(refusedPreflights > 0, 'no refused preflight was checked')
    },
  )

  test('CORS answers only the configured origin; security headers are on every answer', async () => {
    const { app: scoped } = await buildTestApp({ corsOrigin: 'https://dash.example.org' })
    try {
      const allowed = await scoped.inject({
        url: '/api/v1/symbols',
        headers: { origin: 'https://dash.example.org' },
      })
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://dash.example.org')
      const other = await scoped.inject({
        url: '/api/v1/symbols',
        headers: { origin: 'https://evil.example.com' },
      })
      assert.equal(other.headers['access-control-allow-origin'], undefined)
      const refused = await scoped.inject({
        method: 'OPTIONS',
        url: '/api/v1/symbols',
        headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' },
      })
      assert.equal(errorResponse.parse(refused.json()).error, 'origin_not_allowed')
      for (const response of [allowed, other, refused, await scoped.inject({ url: '/nope' })]) {
        assert.equal(response.headers['x-content-type-options'], 'nosniff')
        assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN')
        assert.match(String(response.headers['content-security-policy']), /default-src 'self'/)
      }
    } finally {
      await scoped.close()
    }
  })
})
