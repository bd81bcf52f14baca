import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureReply } from '../../../test/fixtures/providers/read-fixture.ts'
import { parseStooqBars } from './parse-stooq-bars.ts'
import { parseStooqQuotes } from './parse-stooq-quotes.ts'
import { stooqSymbol } from './stooq-symbol.ts'

const fetchedAt = Date.parse('2024-01-10T12:00:00Z')

test('stooqSymbol maps US tickers and the main indices, and refuses the rest', () => {
  assert.deepEqual(stooqSymbol('AAPL'), { ok: true, value: 'aapl.us' })
  assert.deepEqual(stooqSymbol('BRK-B'), { ok: true, value: 'brk-b.us' })
  assert.deepEqual(stooqSymbol('^GSPC'), { ok: true, value: '^spx' })
  for (const symbol of ['JFC', '7203.T', 'EURUSD=X', '^FTSE'])
    assert.equal(stooqSymbol(symbol).ok, false, symbol)
})

test('parseStooqBars reads the daily CSV into bars at 00:00 UTC of each date', () => {
  const result = parseStooqBars(fixtureReply(200, 'stooq/aapl-us-daily.csv'), { symbol: 'AAPL', fetchedAt })
  assert.ok(result.ok)
  assert.equal(result.value.quotes.length, 6)
  assert.deepEqual(result.value.rejected, [])
  assert.deepEqual(result.value.quotes[2], {
    schema: 1,
    id: 'stooq:AAPL:1d:1704326400000',
    symbol: 'AAPL',
    exchange: 'US',
    currency: 'USD',
    kind: 'bar',
    interval: '1d',
    price: 181.91,
    open: 182.15,
    high: 183.0872,
    low: 180.88,
    volume: 71983570,
    asOf: Date.UTC(2024, 0, 4),
    fetchedAt,
    source: 'stooq',
  })
})

test('parseStooqBars keeps good rows and names each malformed one', () => {
  const result = parseStooqBars(fixtureReply(200, 'stooq/malformed-daily.csv'), { symbol: 'AAPL', fetchedAt })
  assert.ok(result.ok)
  assert.deepEqual(
    result.value.quotes.map((quote) => quote.asOf),
    [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 5)],
  )
  assert.deepEqual(result.value.rejected, ['line 3: 7 cells, expected 6', 'line 4: not a number: "N/D"'])
})

test('parseStooqBars reads a CSV without a Volume column', () => {
  const body = 'Date,Open,High,Low,Close\n2024-01-05,1.0947,1.0998,1.0876,1.0940\n'
  const result = parseStooqBars({ status: 200, headers: {}, body }, { symbol: 'AAPL', fetchedAt })
  assert.ok(result.ok)
  assert.equal(result.value.quotes[0]?.volume, undefined)
  assert.equal(result.value.quotes[0]?.price, 1.094)
})

test('Stooq error shapes become failures of the right kind', () => {
  const cases = [
    [200, 'stooq/no-data.txt', 'not-found', 'Stooq: No data'],
    [200, 'stooq/daily-hits-limit.txt', 'quota', 'Stooq: Exceeded the daily hits limit'],
    [
      503,
      'stooq/service-unavailable.html',
      'transient',
      'HTTP 503: HTML page "503 Service Temporarily Unavailable"',
    ],
    [
      200,
      'stooq/service-unavailable.html',
      'invalid',
      'not a Stooq CSV (no Date, Open, High, Low, Close column): HTML page',
    ],
    [200, 'yahoo/chart-aapl-quote.json', 'invalid', 'not a Stooq CSV'],
  ] as const
  for (const [status, file, kind, message] of cases) {
    const result = parseStooqBars(fixtureReply(status, file), { symbol: 'AAPL', fetchedAt })
    assert.ok(!result.ok, file)
    assert.equal(result.error.kind, kind, file)
    assert.ok(result.error.message.startsWith(message), result.error.message)
  }
})

test('parseStooqQuotes gives one outcome per requested symbol, in Warsaw time', () => {
  const symbols = { 'aapl.us': 'AAPL', '^spx': '^GSPC', 'nope.us': 'NOPE', 'msft.us': 'MSFT' }
  const result = parseStooqQuotes(fixtureReply(200, 'stooq/quotes.csv'), { symbols, fetchedAt })
  assert.ok(result.ok)
  const outcomes = result.value
  assert.deepEqual(outcomes.get('AAPL'), {
    ok: true,
    value: {
      schema: 1,
      id: 'stooq:AAPL:snapshot:1704488409000',
      symbol: 'AAPL',
      exchange: 'US',
      currency: 'USD',
      kind: 'snapshot',
      price: 181.18,
      open: 181.99,
      high: 182.76,
      low: 180.17,
      volume: 62379661,
      asOf: Date.parse('2024-01-05T21:00:09Z'),
      fetchedAt,
      source: 'stooq',
    },
  })
  assert.equal(outcomes.get('^GSPC')?.ok, true)
  assert.deepEqual(outcomes.get('NOPE'), {
    ok: false,
    error: { kind: 'not-found', message: 'Stooq: N/D (no such symbol)' },
  })
  assert.deepEqual(outcomes.get('MSFT'), {
    ok: false,
    error: { kind: 'not-found', message: 'Stooq: symbol missing from the reply' },
  })
})
