import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureReply } from '../../../test/fixtures/providers/read-fixture.ts'
import { parseAlphaVantageBars } from './parse-alpha-vantage-bars.ts'
import { parseAlphaVantageQuote } from './parse-alpha-vantage-quote.ts'

const afterClose = Date.parse('2024-06-15T10:00:00Z')
const context = { symbol: 'IBM', fetchedAt: afterClose }

test('parseAlphaVantageQuote reads GLOBAL_QUOTE, stamped with the 16:00 New York close', () => {
  assert.deepEqual(parseAlphaVantageQuote(fixtureReply(200, 'alphavantage/global-quote-ibm.json'), context), {
    ok: true,
    value: {
      schema: 1,
      id: 'alphavantage:IBM:snapshot:1718395200000',
      symbol: 'IBM',
      exchange: 'US',
      currency: 'USD',
      kind: 'snapshot',
      price: 169.21,
      open: 168.29,
      high: 169.47,
      low: 167.23,
      volume: 2777717,
      asOf: Date.parse('2024-06-14T20:00:00Z'),
      fetchedAt: afterClose,
      source: 'alphavantage',
    },
  })
})

test('parseAlphaVantageQuote stamps a quote of a day still trading with the fetch time', () => {
  const during = Date.parse('2024-06-14T15:00:00Z')
  const result = parseAlphaVantageQuote(fixtureReply(200, 'alphavantage/global-quote-ibm.json'), {
    ...context,
    fetchedAt: during,
  })
  assert.ok(result.ok)
  assert.equal(result.value.asOf, during)
})

test('Alpha Vantage error bodies sent with HTTP 200 become failures of the right kind', () => {
  const cases = [
    ['global-quote-empty.json', 'not-found', 'Alpha Vantage: empty Global Quote (unknown symbol)', undefined],
    [
      'note-rate-limit.json',
      'rate-limited',
      'Alpha Vantage: Thank you for using Alpha Vantage! Our standard API call frequency',
      60_000,
    ],
    [
      'information-daily-limit.json',
      'quota',
      'Alpha Vantage: Thank you for using Alpha Vantage! Our standard API rate limit is 25',
      undefined,
    ],
    [
      'information-premium.json',
      'unsupported',
      'Alpha Vantage: Thank you for using Alpha Vantage! The outputsize=full',
      undefined,
    ],
    ['error-invalid-call.json', 'not-found', 'Alpha Vantage: Invalid API call.', undefined],
    [
      'error-invalid-key.json',
      'unauthorized',
      'Alpha Vantage: the parameter apikey is invalid or missing.',
      undefined,
    ],
    ['global-quote-missing-price.json', 'invalid', 'Alpha Vantage: "05. price": missing', undefined],
  ] as const
  for (const [file, kind, message, retryAfterMs] of cases) {
    const result = parseAlphaVantageQuote(fixtureReply(200, `alphavantage/${file}`), context)
    assert.ok(!result.ok, file)
    assert.equal(result.error.kind, kind, file)
    assert.ok(result.error.message.startsWith(message), `${file}: ${result.error.message}`)
    assert.equal(result.error.retryAfterMs, retryAfterMs, file)
  }
})

test('parseAlphaVantageQuote passes a zero price through for checkQuote to refuse', () => {
  const result = parseAlphaVantageQuote(
    fixtureReply(200, 'alphavantage/global-quote-zero-price.json'),
    context,
  )
  assert.ok(result.ok)
  assert.equal(result.value.price, 0)
})

test('parseAlphaVantageBars returns TIME_SERIES_DAILY oldest first at 00:00 UTC of each date', () => {
  const result = parseAlphaVantageBars(fixtureReply(200, 'alphavantage/daily-ibm.json'), context)
  assert.ok(result.ok)
  assert.deepEqual(result.value.rejected, [])
  assert.deepEqual(
    result.value.quotes.map((quote) => [
      quote.id,
      quote.open,
      quote.high,
      quote.low,
      quote.price,
      quote.volume,
    ]),
    [
      ['alphavantage:IBM:1d:1717977600000', 169.55, 170.76, 168.88, 170.38, 3444684],
      ['alphavantage:IBM:1d:1718064000000', 169.98, 170, 166.81, 169.32, 2951251],
      ['alphavantage:IBM:1d:1718150400000', 171.35, 172.47, 168.101, 169, 3522698],
      ['alphavantage:IBM:1d:1718236800000', 169.01, 169.59, 168.335, 169.12, 3525717],
      ['alphavantage:IBM:1d:1718323200000', 168.29, 169.47, 167.23, 169.21, 2777717],
    ],
  )
})

test('parseAlphaVantageBars reads thousands separators and rejects a day with a missing field', () => {
  const result = parseAlphaVantageBars(fixtureReply(200, 'alphavantage/daily-malformed.json'), context)
  assert.ok(result.ok)
  assert.deepEqual(result.value.rejected, ['2024-06-13: "4. close": missing'])
  assert.deepEqual(
    result.value.quotes.map((quote) => [quote.asOf, quote.price, quote.volume]),
    [
      [Date.UTC(2024, 5, 12), 1169, 3522698],
      [Date.UTC(2024, 5, 14), 169.21, 2777717],
    ],
  )
})

test('parseAlphaVantageBars passes HTTP failures through', () => {
  const result = parseAlphaVantageBars({ status: 503, headers: { 'retry-after': '5' }, body: '' }, context)
  assert.deepEqual(result, {
    ok: false,
    error: { kind: 'transient', message: 'HTTP 503: empty body', retryAfterMs: 5000 },
  })
})
