import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createFakeClock } from '../../../test/fixtures/providers/fake-clock.ts'
import { createMockHttp } from '../../../test/fixtures/providers/mock-http.ts'
import { fetchQuotes } from './fetch-quotes.ts'
import { createProviderHttp } from './provider-http.ts'
import { createStooqProvider } from './providers/create-stooq-provider.ts'
import { createYahooProvider } from './providers/create-yahoo-provider.ts'
import type { Provider } from './providers/provider.ts'
import { createRequestBudget } from './request-budget.ts'

const YAHOO = 'https://query1.finance.yahoo.com'
const chart = (symbol: string): string =>
  `/v8/finance/chart/${encodeURIComponent(symbol)}?range=1d&interval=1d&includePrePost=false`

function setUp(nowIso: string) {
  const mock = createMockHttp()
  const clock = createFakeClock(Date.parse(nowIso))
  const http = (provider: string) =>
    createProviderHttp({
      provider,
      fetch: mock.fetch,
      clock,
      random: () => 0,
      budget: createRequestBudget({ maxRequests: 100, windowMs: 60_000, clock }),
      timeoutMs: 1000,
      retries: 1,
      backoff: { baseMs: 500, maxMs: 8000 },
      maxRetryWaitMs: 30_000,
    })
  const providers = [
    createYahooProvider({ http: http('yahoo'), clock }),
    createStooqProvider({ http: http('stooq'), clock }),
  ]
  return { ...mock, clock, providers, options: { nowMs: () => clock.now(), maxAgeMs: 4 * 86_400_000 } }
}

const explain = (outcomes: Awaited<ReturnType<typeof fetchQuotes>>) =>
  outcomes.map((outcome) => [
    outcome.symbol,
    outcome.quote?.source ?? null,
    outcome.attempts.map((attempt) => `${attempt.provider}:${attempt.failure.kind}`),
  ])

test('each symbol fails over to the next provider on its own, and one failure spares the others', async () => {
  const { reply, agent, providers, options } = setUp('2024-01-05T21:05:00Z')
  reply(YAHOO, chart('AAPL'), 429, 'yahoo/too-many-requests.txt', { 'retry-after': '3600' })
  reply(YAHOO, chart('^GSPC'), 200, 'yahoo/chart-gspc-quote.json')
  reply(YAHOO, chart('NOPE'), 404, 'yahoo/chart-not-found.json')
  reply('https://stooq.com', '/q/l/?s=aapl.us+nope.us&f=sd2t2ohlcv&h&e=csv', 200, 'stooq/quotes.csv')
  const outcomes = await fetchQuotes(['AAPL', '^GSPC', 'NOPE', 'JFC'], providers, options)
  assert.deepEqual(explain(outcomes), [
    ['AAPL', 'stooq', ['yahoo:rate-limited']],
    ['^GSPC', 'yahoo', []],
    ['NOPE', null, ['yahoo:not-found', 'stooq:not-found']],
    ['JFC', null, ['yahoo:unsupported', 'stooq:unsupported']],
  ])
  agent.assertNoPendingInterceptors()
})

test('a stale quote is not a quote: the symbol fails over, and fails saying why', async () => {
  const { reply, providers, options } = setUp('2024-01-20T15:00:00Z')
  reply(YAHOO, chart('AAPL'), 200, 'yahoo/chart-aapl-quote.json')
  reply('https://stooq.com', '/q/l/?s=aapl.us&f=sd2t2ohlcv&h&e=csv', 200, 'stooq/quotes.csv')
  const [outcome] = await fetchQuotes(['AAPL'], providers, options)
  assert.equal(outcome?.quote, undefined)
  assert.deepEqual(
    outcome?.attempts.map((attempt) => attempt.failure.message),
    [
      'not a valid quote: stale: asOf 2024-01-05T21:00:01.000Z is 14.7 d old (limit 4.0 d)',
      'not a valid quote: stale: asOf 2024-01-05T21:00:09.000Z is 14.7 d old (limit 4.0 d)',
    ],
  )
})

test('a provider that throws fails only its own symbols, and the next provider still runs', async () => {
  const { reply, providers, options } = setUp('2024-01-05T21:05:00Z')
  const broken: Provider = {
    name: 'pse',
    isReplay: false,
    supports: (symbol) => symbol === 'AAPL',
    quote: () => Promise.reject(new Error('socket hang up')),
    history: () => Promise.reject(new Error('unused')),
  }
  reply(YAHOO, chart('AAPL'), 200, 'yahoo/chart-aapl-quote.json')
  reply(YAHOO, chart('^GSPC'), 200, 'yahoo/chart-gspc-quote.json')
  const outcomes = await fetchQuotes(['AAPL', '^GSPC'], [broken, ...providers], options)
  assert.deepEqual(explain(outcomes), [
    ['AAPL', 'yahoo', ['pse:transient']],
    ['^GSPC', 'yahoo', ['pse:unsupported']],
  ])
  assert.equal(outcomes[0]?.attempts[0]?.failure.message, 'pse failed: socket hang up')
})
