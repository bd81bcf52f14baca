import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkQuote } from './check-quote.ts'
import { makeQuote, type QuoteFields } from './make-quote.ts'

const now = Date.parse('2024-01-05T21:05:00Z')
const fields: QuoteFields = {
  symbol: 'AAPL',
  exchange: 'US',
  currency: 'USD',
  kind: 'snapshot',
  price: 181.18,
  high: 182.76,
  low: 180.17,
  asOf: Date.parse('2024-01-05T21:00:00Z'),
  fetchedAt: now,
  source: 'yahoo',
}
const checks = { nowMs: now, maxAgeMs: 4 * 86_400_000 }

test('checkQuote passes a sound quote unchanged', () => {
  const quote = makeQuote(fields)
  assert.deepEqual(checkQuote(quote, checks), { ok: true, value: quote })
})

test('checkQuote refuses zero, NaN, inconsistent, future and stale quotes with the reason', () => {
  const cases: [Partial<QuoteFields>, string][] = [
    [{ price: 0 }, 'price: must be at least 1e-6 (MIN_PRICE); price: must lie between low and high'],
    [{ price: Number.NaN }, 'price: Invalid input: expected number, received NaN'],
    [{ price: 190 }, 'price: must lie between low and high'],
    [{ volume: -1 }, 'volume: Too small: expected number to be >=0'],
    [{ asOf: now + 3_600_000 }, 'asOf 2024-01-05T22:05:00.000Z is 3600 s in the future'],
    [
      { asOf: Date.parse('2023-12-29T21:00:00Z') },
      'stale: asOf 2023-12-29T21:00:00.000Z is 7.0 d old (limit 4.0 d)',
    ],
    [{ currency: 'usd' }, 'currency: must be an ISO 4217 code such as USD'],
  ]
  for (const [change, error] of cases)
    assert.deepEqual(checkQuote(makeQuote({ ...fields, ...change }), checks), { ok: false, error }, error)
})

test('checkQuote has no age limit when none is given (historical bars)', () => {
  const old = makeQuote({ ...fields, asOf: Date.UTC(2000, 0, 3) })
  assert.equal(checkQuote(old, { nowMs: now }).ok, true)
})
