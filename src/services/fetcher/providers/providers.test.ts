import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createFakeClock } from '../../../../test/fixtures/providers/fake-clock.ts'
import { createMockHttp } from '../../../../test/fixtures/providers/mock-http.ts'
import { createProviderHttp } from '../provider-http.ts'
import { createRequestBudget } from '../request-budget.ts'
import { createAlphaVantageProvider } from './create-alpha-vantage-provider.ts'
import { createPseProvider } from './create-pse-provider.ts'
import { createStooqProvider } from './create-stooq-provider.ts'
import { createYahooProvider } from './create-yahoo-provider.ts'

function setUp(nowIso: string) {
  const mock = createMockHttp()
  const clock = createFakeClock(Date.parse(nowIso))
  const http = createProviderHttp({
    provider: 'test',
    fetch: mock.fetch,
    clock,
    random: () => 0,
    budget: createRequestBudget({ maxRequests: 100, windowMs: 60_000, clock }),
    timeoutMs: 1000,
    retries: 2,
    backoff: { baseMs: 500, maxMs: 8000 },
    maxRetryWaitMs: 60_000,
  })
  return { ...mock, clock, http }
}

const summary = (
  outcomes: ReadonlyMap<string, { ok: boolean; value?: { price: number }; error?: { kind: string } }>,
) =>
  Object.fromEntries(
    [...outcomes].map(([symbol, outcome]) => [
      symbol,
      outcome.ok ? outcome.value?.price : outcome.error?.kind,
    ]),
  )

test('yahoo asks the chart endpoint once per symbol and keeps each outcome apart', async () => {
  const { reply, agent, clock, http } = setUp('2024-01-05T21:05:00Z')
  const origin = 'https://query1.finance.yahoo.com'
  reply(
    origin,
    '/v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false',
    200,
    'yahoo/chart-aapl-quote.json',
  )
  reply(
    origin,
    '/v8/finance/chart/%5EGSPC?range=1d&interval=1d&includePrePost=false',
    200,
    'yahoo/chart-gspc-quote.json',
  )
  reply(
    origin,
    '/v8/finance/chart/NOPE?range=1d&interval=1d&includePrePost=false',
    404,
    'yahoo/chart-not-found.json',
  )
  const yahoo = createYahooProvider({ http, clock })
  assert.deepEqual(summary(await yahoo.quote(['AAPL', '^GSPC', 'NOPE'])), {
    AAPL: 181.18,
    '^GSPC': 4697.24,
    NOPE: 'not-found',
  })
  agent.assertNoPendingInterceptors()
  assert.equal(yahoo.supports('JFC'), false)
})

test('yahoo history asks for the period in seconds and the interval in Yahoo terms', async () => {
  const { reply, clock, http } = setUp('2024-01-10T12:00:00Z')
  const path =
    '/v8/finance/chart/AAPL?period1=1704153600&period2=1704844800&interval=1d&events=history&includePrePost=false'
  reply('http://127.0.0.1:8999', path, 200, 'yahoo/chart-aapl-history.json')
  const yahoo = createYahooProvider({ http, clock, baseUrl: 'http://127.0.0.1:8999' })
  const result = await yahoo.history(
    'AAPL',
    { fromMs: Date.UTC(2024, 0, 2), toMs: Date.UTC(2024, 0, 10) },
    '1d',
  )
  assert.ok(result.ok, JSON.stringify(result))
  assert.equal(result.value.quotes.length, 6)
  const tooLong = await yahoo.history(
    'AAPL',
    { fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 0, 10) },
    '1m',
  )
  assert.deepEqual(tooLong, {
    ok: false,
    error: { kind: 'unsupported', message: 'yahoo: 1m bars span at most 7 days per request' },
  })
})

test('stooq fetches every quote in one request and its daily history as CSV', async () => {
  const { reply, agent, clock, http } = setUp('2024-01-06T12:00:00Z')
  reply('https://stooq.com', '/q/l/?s=aapl.us+%5Espx+nope.us&f=sd2t2ohlcv&h&e=csv', 200, 'stooq/quotes.csv')
  reply('https://stooq.com', '/q/d/l/?s=aapl.us&i=d&d1=20240102&d2=20240109', 200, 'stooq/aapl-us-daily.csv')
  reply(
    'https://stooq.com',
    '/q/d/l/?s=msft.us&i=d&d1=20240102&d2=20240109',
    200,
    'stooq/daily-hits-limit.txt',
  )
  const stooq = createStooqProvider({ http, clock })
  assert.deepEqual(summary(await stooq.quote(['AAPL', '^GSPC', 'NOPE'])), {
    AAPL: 181.18,
    '^GSPC': 4697.24,
    NOPE: 'not-found',
  })
  const range = { fromMs: Date.UTC(2024, 0, 2), toMs: Date.UTC(2024, 0, 9) }
  const history = await stooq.history('AAPL', range, '1d')
  assert.equal(history.ok && history.value.quotes.length, 6)
  const limited = await stooq.history('MSFT', range, '1d')
  assert.equal(!limited.ok && limited.error.kind, 'quota')
  agent.assertNoPendingInterceptors()
})

test('alphavantage sends the key, waits out a per-minute Note, and reports the daily limit', async () => {
  const { reply, agent, clock, http } = setUp('2024-06-15T10:00:00Z')
  const origin = 'https://www.alphavantage.co'
  reply(
    origin,
    '/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=K3Y',
    200,
    'alphavantage/note-rate-limit.json',
  )
  reply(
    origin,
    '/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=K3Y',
    200,
    'alphavantage/global-quote-ibm.json',
  )
  reply(
    origin,
    '/query?function=GLOBAL_QUOTE&symbol=MSFT&apikey=K3Y',
    200,
    'alphavantage/information-daily-limit.json',
  )
  const alpha = createAlphaVantageProvider({ http, clock, apiKey: 'K3Y' })
  assert.deepEqual(summary(await alpha.quote(['IBM', 'MSFT'])), { IBM: 169.21, MSFT: 'quota' })
  assert.deepEqual(clock.sleeps, [60_000])
  assert.equal(alpha.supports('^GSPC'), false)
  reply(
    origin,
    '/query?function=TIME_SERIES_DAILY&symbol=IBM&outputsize=compact&apikey=K3Y',
    200,
    'alphavantage/daily-ibm.json',
  )
  const history = await alpha.history(
    'IBM',
    { fromMs: Date.UTC(2024, 5, 10), toMs: Date.UTC(2024, 5, 14) },
    '1d',
  )
  assert.equal(history.ok && history.value.quotes.length, 5)
  agent.assertNoPendingInterceptors()
})

test('pse quotes each symbol from phisix and builds history day by day, skipping days without data', async () => {
  const { reply, agent, clock, http } = setUp('2022-10-14T07:00:00Z')
  const origin = 'https://phisix-api.appspot.com'
  reply(origin, '/stocks/JFC.json', 200, 'pse/stock-jfc.json')
  reply(origin, '/stocks/ALI.json', 200, 'pse/stock-ali.json')
  reply(origin, '/stocks/TEL.json', 200, 'pse/stock-tel-malformed.json')
  reply(origin, '/stocks/BDO.json', 503, 'pse/over-quota.html')
  const pse = createPseProvider({ http, clock })
  assert.deepEqual(summary(await pse.quote(['JFC', 'ALI', 'TEL', 'BDO'])), {
    JFC: 228,
    ALI: 23.5,
    TEL: 'invalid',
    BDO: 'quota',
  })
  reply(origin, '/stocks/SM.2022-10-12.json', 404, 'pse/not-found.txt')
  reply(origin, '/stocks/SM.2022-10-13.json', 200, 'pse/stock-sm-2022-10-13.json')
  reply(origin, '/stocks/SM.2022-10-14.json', 200, 'pse/stock-sm-2022-10-14.json')
  const history = await pse.history(
    'SM',
    { fromMs: Date.parse('2022-10-11T16:00:00Z'), toMs: Date.parse('2022-10-16T15:59:59Z') },
    '1d',
  )
  assert.ok(history.ok)
  assert.deepEqual(
    history.value.quotes.map((quote) => [quote.id, quote.price]),
    [
      ['pse:SM:1d:1665619200000', 755],
      ['pse:SM:1d:1665705600000', 760.5],
    ],
  )
  assert.deepEqual(history.value.rejected, ['2022-10-12: phisix: no stock SM (HTTP 404)'])
  agent.assertNoPendingInterceptors()
})
