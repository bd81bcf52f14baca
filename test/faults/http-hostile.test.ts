// Issue 8: random and hostile HTTP parameters and bodies get a JSON 4xx, never a 5xx, and nothing
// internal (stack traces, file paths) leaks. In process, through `app.inject`. Issue 19 adds Range
// and conditional headers on the static files, extreme numbers in /predict bodies, and the history
// of symbols whose bars jumped between the price bounds (and one bar outside them).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { BAR_SCHEMA_VERSION, type Bar } from '../../src/core/contracts/bar.ts'
import { MAX_FEATURE_VALUE, MAX_PRICE, MIN_PRICE } from '../../src/core/contracts/primitives.ts'
import { errorResponse } from '../../src/services/predictor/api/api-schemas.ts'
import { SECURITY_HEADERS } from '../../src/services/predictor/api/security-headers.ts'
import { applySteps } from '../fixtures/predictor/apply-steps.ts'
import { buildTestApp } from '../fixtures/predictor/build-test-app.ts'
import { createReplayFixture } from '../fixtures/predictor/create-replay-fixture.ts'
import type { PredictorViews } from '../../src/services/predictor/views/create-views.ts'
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
    'JUMPY',
    'LEAKED',
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

const DAY_MS = 86_400_000

/** Daily bars with these closes (open, high and low at the close). */
function dailyBars(symbol: string, closes: readonly number[]): Bar[] {
  const first = Date.UTC(2024, 0, 1)
  return closes.map((close, index) => ({
    schema: BAR_SCHEMA_VERSION,
    ...{ symbol, interval: '1d' as const, start: first + index * DAY_MS, end: first + (index + 1) * DAY_MS },
    ...{ open: close, high: close, low: close, close, volume: index % 3 === 0 ? 0 : 1000, count: 1 },
  }))
}

/**
 * JUMPY: 30 ordinary bars, then closes alternating between the price bounds; LEAKED: ordinary bars
 * then one at 5e-324, outside the contract (as if a value had reached the views anyway).
 */
function addExtremeSymbols(views: PredictorViews): void {
  const normal = Array.from({ length: 30 }, (_, i) => 100 + ((i * 7) % 5) - 2)
  const jumps = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? MAX_PRICE : MIN_PRICE))
  for (const [symbol, closes] of [
    ['JUMPY', [...normal, ...jumps, ...normal.slice(0, 5)]],
    ['LEAKED', normal],
  ] as const) {
    const next = createReplayFixture(dailyBars(symbol, closes))
    for (let step = next(); step !== undefined; step = next()) applySteps(views, [step], 0)
  }
  const [leaked] = dailyBars('LEAKED', [...normal, 5e-324]).slice(-1)
  views.apply({ kind: 'bar', bar: leaked! }, 0)
}

/** Stand-ins for the requested file's own ETag and Last-Modified, filled in when a request is sent. */
const OWN_ETAG = '@etag'
const OWN_LAST_MODIFIED = '@last-modified'

const printable = (maxLength: number): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^[ -~]{0,${String(maxLength)}}$`))
const httpDate = fc.oneof(
  fc.constant(OWN_LAST_MODIFIED),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  fc.constantFrom(
    '1990',
    '0',
    '-1',
    'Thu, 01 Jan 1970 00:00:00 GMT',
    'Fri, 31 Dec 9999 23:59:59 GMT',
    'garbage',
    '2024-02-30',
  ),
  printable(30),
)
const entityTag = fc.oneof(
  fc.constant(OWN_ETAG),
  fc.constant(`"x", ${OWN_ETAG}`),
  fc.constantFrom('"x"', '*', 'W/"x"', '"', 'W/', '""', '*, "x"', '"x", W/"y"', ','),
  fc.stringMatching(/^[-"W/*, 0-9a-f]{0,40}$/),
  printable(40),
)
const rangeHeader = fc.oneof(
  fc.constantFrom(
    'bytes=999999999-',
    'bytes=5-1',
    'bytes=0-0',
    'bytes=-0',
    'bytes=-1',
    'bytes=0-',
    'bytes=',
    'bytes=abc',
    'bytes=0-1,5-6',
    ' bytes=0-9',
    'items=0-5',
    'bytes=1e3-',
    'bytes=-99999999999999999999',
    `bytes=${'0-9,'.repeat(200)}0-9`,
  ),
  fc.tuple(fc.nat(), fc.nat()).map(([first, last]) => `bytes=${String(first)}-${String(last)}`),
  fc
    .tuple(fc.integer({ min: 0, max: 8000 }), fc.option(fc.integer({ min: 0, max: 8000 })))
    .map(([first, last]) => `bytes=${String(first)}-${last === null ? '' : String(last)}`),
  fc.integer({ min: 0, max: 8000 }).map((suffix) => `bytes=-${String(suffix)}`),
  printable(40).map((text) => `bytes=${text}`),
)
const conditionalHeaders = fc.record(
  {
    range: rangeHeader,
    'if-range': fc.oneof(entityTag, httpDate),
    'if-match': entityTag,
    'if-none-match': entityTag,
    'if-modified-since': httpDate,
    'if-unmodified-since': httpDate,
  },
  { requiredKeys: [] },
)

const STATIC_FILES = [
  '/',
  '/index.html',
  '/app.js',
  '/styles.css',
  '/favicon.svg',
  '/vendor/lightweight-charts.mjs',
  '/docs/static/swagger-ui.css',
] as const

/** Range and conditional headers on the static files (and, for contrast, on API routes). */
const headerRequest: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(...STATIC_FILES, '/api/v1/symbols', '/api/v1/history/JUMPY'),
    conditionalHeaders,
    fc.constantFrom<HostileRequest['method']>('GET', 'GET', 'HEAD'),
  )
  .map(([url, headers, method]) => ({ method: method as 'GET', url, headers }))

/** JSON number texts, some of which JSON.stringify cannot write: 1e999 parses as Infinity. */
const extremeNumberText = fc.oneof(
  fc.constantFrom(
    '1e999',
    '-1e999',
    '1.7976931348623157e308',
    '-1.7976931348623157e308',
    '5e-324',
    '-5e-324',
    '1e-400',
    '-0',
    '0',
    '123456789012345678901234567890',
    String(MAX_PRICE),
    String(MIN_PRICE),
    String(MAX_PRICE * (1 + Number.EPSILON)),
    String(MIN_PRICE * (1 - Number.EPSILON)),
    String(MAX_FEATURE_VALUE),
    String(-MAX_FEATURE_VALUE),
    String(MAX_FEATURE_VALUE * 1.000001),
    String(Number.MAX_SAFE_INTEGER),
    '8640000000000000',
    '8640000000000001',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
)

/** The row with one to four of its numbers (close, bar times, feature values) written as extreme number texts. */
function extremeRowBody(row: Record<string, unknown>): fc.Arbitrary<string> {
  const values = row['values'] as Record<string, number>
  const fields = ['close', 'barStart', 'barEnd', ...Object.keys(values).map((name) => `values.${name}`)]
  return fc
    .uniqueArray(fc.tuple(fc.constantFrom(...fields), extremeNumberText), {
      minLength: 1,
      maxLength: 4,
      selector: ([field]) => field,
    })
    .map((changes) => {
      const copy: Record<string, unknown> = { ...row, values: { ...values } }
      changes.forEach(([field, _text], index) => {
        const [outer, inner] = field.split('.')
        if (inner === undefined) copy[outer!] = `@@${String(index)}@@`
        else (copy['values'] as Record<string, unknown>)[inner] = `@@${String(index)}@@`
      })
      return changes.reduce(
        (json, [, text], index) => json.replace(`"@@${String(index)}@@"`, text),
        JSON.stringify(copy),
      )
    })
}

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
    extremeRowBody(row),
    extremeRowBody(row),
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

/** The request with the stand-ins replaced by what `own` says of its URL. */
function withOwnValidators(
  request: HostileRequest,
  own: ReadonlyMap<string, { etag: string; lastModified: string }>,
): HostileRequest {
  const validators = own.get(request.url)
  if (request.headers === undefined || validators === undefined) return request
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      value.replace(OWN_ETAG, validators.etag).replace(OWN_LAST_MODIFIED, validators.lastModified),
    ]),
  )
  return { ...request, headers }
}

describe('the HTTP API under hostile requests', () => {
  let app: FastifyInstance
  let row: Record<string, unknown>
  const own = new Map<string, { etag: string; lastModified: string }>()
  before(async () => {
    const built = await buildTestApp({ rateLimitPerMinute: 1_000_000_000 })
    addExtremeSymbols(built.views)
    app = built.app
    for (const url of STATIC_FILES) {
      const { headers } = await app.inject({ url })
      own.set(url, { etag: String(headers.etag), lastModified: String(headers['last-modified']) })
    }
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
            { arbitrary: headerRequest, weight: 3 },
          ),
          async (generated) => {
            const request = withOwnValidators(generated, own)
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
      for (const status of [200, 206, 304, 400, 404, 412, 416])
        assert.ok((statuses.get(status) ?? 0) > 0, `no request was answered ${String(status)}`)
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
