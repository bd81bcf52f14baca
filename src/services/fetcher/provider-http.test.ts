import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseYahooQuote } from '../../core/providers/parse-yahoo-quote.ts'
import { createFakeClock, type FakeClock } from '../../../test/fixtures/providers/fake-clock.ts'
import { createMockHttp } from '../../../test/fixtures/providers/mock-http.ts'
import { createProviderHttp, type RetryEvent } from './provider-http.ts'
import { createRequestBudget } from './request-budget.ts'

const ORIGIN = 'https://query1.finance.yahoo.com'
const PATH = '/v8/finance/chart/AAPL?range=1d&interval=1d'
const start = Date.parse('2024-01-05T21:05:00Z')

function setUp(options: { clock?: FakeClock; maxRequests?: number; retries?: number } = {}) {
  const mock = createMockHttp()
  const clock = options.clock ?? createFakeClock(start)
  const retries: RetryEvent[] = []
  const http = createProviderHttp({
    provider: 'yahoo',
    fetch: mock.fetch,
    clock,
    random: () => 0.5,
    budget: createRequestBudget({ maxRequests: options.maxRequests ?? 100, windowMs: 60_000, clock }),
    timeoutMs: 1000,
    retries: options.retries ?? 3,
    backoff: { baseMs: 500, maxMs: 8000 },
    maxRetryWaitMs: 60_000,
    onRetry: (event) => retries.push(event),
  })
  const get = () =>
    http.request(`${ORIGIN}${PATH}`, 'quote AAPL', (reply) =>
      parseYahooQuote(reply, { symbol: 'AAPL', fetchedAt: clock.now() }),
    )
  return { ...mock, clock, retries, get, http }
}

test('transient failures are retried with exponential backoff and jitter, then succeed', async () => {
  const { reply, agent, clock, retries, get } = setUp()
  reply(ORIGIN, PATH, 502, 'yahoo/edge-502.html')
  reply(ORIGIN, PATH, 503, { body: '' })
  agent
    .get(ORIGIN)
    .intercept({ path: PATH })
    .replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  const result = await get()
  assert.equal(result.ok, true)
  assert.deepEqual(clock.sleeps, [375, 750, 1500])
  assert.deepEqual(
    retries.map((event) => [event.attempt, event.failure.kind, event.failure.message]),
    [
      [1, 'transient', 'HTTP 502: HTML page "Yahoo"'],
      [2, 'transient', 'HTTP 503: empty body'],
      [3, 'transient', 'request failed: ECONNRESET read ECONNRESET'],
    ],
  )
  agent.assertNoPendingInterceptors()
})

test('a rate limit waits exactly the Retry-After the provider asked for', async () => {
  const { reply, clock, get } = setUp()
  reply(ORIGIN, PATH, 429, 'yahoo/too-many-requests.txt', { 'retry-after': '7' })
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  assert.equal((await get()).ok, true)
  assert.deepEqual(clock.sleeps, [7000])
})

test('a Retry-After longer than the limit fails at once, for the next provider to take over', async () => {
  const { reply, clock, get } = setUp()
  reply(ORIGIN, PATH, 429, 'yahoo/too-many-requests.txt', { 'retry-after': '3600' })
  const result = await get()
  assert.ok(!result.ok)
  assert.equal(result.error.kind, 'rate-limited')
  assert.match(result.error.message, /asked to wait 3600 s: too long/)
  assert.deepEqual(clock.sleeps, [])
})

test('retries stop after the configured number and return the last failure', async () => {
  const { reply, clock, get } = setUp({ retries: 2 })
  for (let index = 0; index < 3; index++) reply(ORIGIN, PATH, 500, 'pse/server-error.html')
  const result = await get()
  assert.deepEqual(result, {
    ok: false,
    error: { kind: 'transient', message: 'HTTP 500: HTML page "500 Server Error"' },
  })
  assert.equal(clock.sleeps.length, 2)
})

test('failures that asking again cannot fix are not retried', async () => {
  const { reply, clock, get } = setUp()
  reply(ORIGIN, PATH, 404, 'yahoo/chart-not-found.json')
  const result = await get()
  assert.ok(!result.ok)
  assert.equal(result.error.kind, 'not-found')
  assert.deepEqual(clock.sleeps, [])
})

test('a request that outlives its deadline is a transient failure', async () => {
  const { reply, get } = setUp({ clock: createFakeClock(start, { isTimingOut: true }), retries: 0 })
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  assert.deepEqual(await get(), {
    ok: false,
    error: { kind: 'transient', message: 'timed out after 1000 ms' },
  })
})

test('the request budget caps requests per window: spent means a budget failure with no request sent', async () => {
  const { reply, agent, get, clock } = setUp({ maxRequests: 2 })
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  assert.equal((await get()).ok, true)
  assert.equal((await get()).ok, true)
  const third = await get()
  assert.deepEqual(third, {
    ok: false,
    error: { kind: 'budget', message: 'yahoo: request budget spent (next request free in 60 s)' },
  })
  agent.assertNoPendingInterceptors()
  clock.advance(60_000)
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  assert.equal((await get()).ok, true, 'a new window has room again')
})

test('with waitForBudget a backfill waits for the next free slot instead of failing', async () => {
  const { reply, http, clock } = setUp({ maxRequests: 1 })
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  reply(ORIGIN, PATH, 200, 'yahoo/chart-aapl-quote.json')
  const parse = (body: { status: number; headers: Record<string, string>; body: string }) =>
    parseYahooQuote(body, { symbol: 'AAPL', fetchedAt: clock.now() })
  assert.equal((await http.request(`${ORIGIN}${PATH}`, 'a', parse, { waitForBudget: true })).ok, true)
  clock.advance(15_000)
  assert.equal((await http.request(`${ORIGIN}${PATH}`, 'b', parse, { waitForBudget: true })).ok, true)
  assert.deepEqual(clock.sleeps, [45_000])
})
