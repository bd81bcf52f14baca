import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureReply } from '../../../test/fixtures/providers/read-fixture.ts'
import { parseYahooBars } from './parse-yahoo-bars.ts'
import { parseYahooQuote } from './parse-yahoo-quote.ts'

const fetchedAt = Date.parse('2024-01-05T21:05:00Z')

test('parseYahooQuote reads the regular-market snapshot of a chart', () => {
  const result = parseYahooQuote(fixtureReply(200, 'yahoo/chart-aapl-quote.json'), {
    symbol: 'AAPL',
    fetchedAt,
  })
  assert.deepEqual(result, {
    ok: true,
    value: {
      schema: 1,
      id: 'yahoo:AAPL:snapshot:1704488401000',
      symbol: 'AAPL',
      exchange: 'US',
      currency: 'USD',
      kind: 'snapshot',
      price: 181.18,
      open: 181.99000549316406,
      high: 182.76,
      low: 180.17,
      volume: 62379661,
      asOf: 1704488401000,
      fetchedAt,
      source: 'yahoo',
    },
  })
})

test('parseYahooQuote turns each error shape into a failure of the right kind', () => {
  const cases = [
    [
      404,
      'yahoo/chart-not-found.json',
      {},
      'not-found',
      'Not Found: No data found, symbol may be delisted',
      undefined,
    ],
    [
      400,
      'yahoo/chart-bad-request.json',
      {},
      'invalid',
      'Bad Request: Invalid input - interval=1x is not supported.',
      undefined,
    ],
    [
      429,
      'yahoo/too-many-requests.txt',
      { 'retry-after': '30' },
      'rate-limited',
      'HTTP 429: "Too Many Requests"',
      30_000,
    ],
    [502, 'yahoo/edge-502.html', {}, 'transient', 'HTTP 502: HTML page "Yahoo"', undefined],
    [200, 'yahoo/edge-502.html', {}, 'invalid', 'HTTP 200 but not JSON: HTML page "Yahoo"', undefined],
    [200, 'yahoo/chart-no-price.json', {}, 'invalid', 'chart meta has no regularMarketPrice', undefined],
    [200, 'stooq/no-data.txt', {}, 'invalid', 'HTTP 200 but not JSON: "No data"', undefined],
  ] as const
  for (const [status, file, headers, kind, message, retryAfterMs] of cases) {
    const result = parseYahooQuote(fixtureReply(status, file, headers), { symbol: 'AAPL', fetchedAt })
    assert.ok(!result.ok, file)
    assert.equal(result.error.kind, kind, file)
    assert.ok(result.error.message.startsWith(message), `${file}: ${result.error.message}`)
    assert.equal(result.error.retryAfterMs, retryAfterMs, file)
  }
})

test('parseYahooBars puts each daily bar at 00:00 UTC of its New York trading date', () => {
  const result = parseYahooBars(fixtureReply(200, 'yahoo/chart-aapl-history.json'), {
    symbol: 'AAPL',
    interval: '1d',
    fetchedAt,
  })
  assert.ok(result.ok)
  const { quotes, rejected } = result.value
  assert.deepEqual(rejected, [])
  assert.deepEqual(
    quotes.map((quote) => [new Date(quote.asOf).toISOString().slice(0, 10), quote.price]),
    [
      ['2024-01-02', 185.63999938964844],
      ['2024-01-03', 184.25],
      ['2024-01-04', 181.91000366210938],
      ['2024-01-05', 181.17999267578125],
      ['2024-01-08', 185.55999755859375],
      ['2024-01-09', 185.13999938964844],
    ],
  )
  assert.deepEqual(quotes[0], {
    schema: 1,
    id: 'yahoo:AAPL:1d:1704153600000',
    symbol: 'AAPL',
    exchange: 'US',
    currency: 'USD',
    kind: 'bar',
    interval: '1d',
    price: 185.63999938964844,
    open: 187.14999389648438,
    high: 188.44000244140625,
    low: 183.88999938964844,
    volume: 82488700,
    asOf: Date.UTC(2024, 0, 2),
    fetchedAt,
    source: 'yahoo',
  })
})

test('parseYahooBars rejects null rows by time and reads an empty range as no bars', () => {
  const withNull = parseYahooBars(fixtureReply(200, 'yahoo/chart-aapl-history-with-null-row.json'), {
    symbol: 'AAPL',
    interval: '1d',
    fetchedAt,
  })
  assert.ok(withNull.ok)
  assert.deepEqual(withNull.value.rejected, ['2024-01-04T14:30:00.000Z: missing open, high, low or close'])
  assert.deepEqual(
    withNull.value.quotes.map((quote) => quote.id),
    ['yahoo:AAPL:1d:1704412800000'],
  )
  const empty = parseYahooBars(fixtureReply(200, 'yahoo/chart-empty-range.json'), {
    symbol: 'AAPL',
    interval: '1d',
    fetchedAt,
  })
  assert.deepEqual(empty, { ok: true, value: { quotes: [], rejected: [] } })
})

test('a chart of another instrument is invalid, for quotes and for bars', () => {
  const quote = parseYahooQuote(fixtureReply(200, 'yahoo/chart-aapl-quote.json'), {
    symbol: 'MSFT',
    fetchedAt,
  })
  assert.deepEqual(quote, { ok: false, error: { kind: 'invalid', message: 'chart is for AAPL, not MSFT' } })
  const bars = parseYahooBars(fixtureReply(200, 'yahoo/chart-aapl-history.json'), {
    symbol: 'MSFT',
    interval: '1d',
    fetchedAt,
  })
  assert.deepEqual(bars, { ok: false, error: { kind: 'invalid', message: 'chart is for AAPL, not MSFT' } })
})
