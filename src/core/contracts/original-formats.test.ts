import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseEdgeQuote, parseOriginalFormat, parsePhisixStocks } from './original-formats.ts'

const fetchedAt = Date.parse('2022-10-14T07:00:00Z')
const phisix = {
  stock: [
    {
      name: 'Ayala Land',
      price: { currency: 'PHP', amount: 23.5 },
      percent_change: 3.07,
      volume: 13724300,
      symbol: 'ALI',
    },
  ],
  as_of: '2022-10-14T14:50:00+08:00',
}

test('the phisix JSON normalises into a Quote stamped with as_of', () => {
  assert.deepEqual(parseOriginalFormat(phisix, { fetchedAt }), {
    ok: true,
    value: [
      {
        schema: 1,
        id: 'phisix:ALI:snapshot:1665730200000',
        symbol: 'ALI',
        exchange: 'PSE',
        currency: 'PHP',
        kind: 'snapshot',
        price: 23.5,
        volume: 13724300,
        asOf: Date.parse('2022-10-14T06:50:00Z'),
        fetchedAt,
        source: 'phisix',
      },
    ],
  })
})

test('the PSE EDGE strings normalise into a Quote stamped with the fetch time', () => {
  const edge = {
    stock: 'JFC',
    close: '1,000.00',
    open: '990.50',
    high: '1,005.00',
    low: '985.00',
    volume: '1,234,560',
  }
  assert.deepEqual(parseOriginalFormat(edge, { fetchedAt }), {
    ok: true,
    value: [
      {
        schema: 1,
        id: `pse-edge:JFC:snapshot:${fetchedAt}`,
        symbol: 'JFC',
        exchange: 'PSE',
        currency: 'PHP',
        kind: 'snapshot',
        price: 1000,
        open: 990.5,
        high: 1005,
        low: 985,
        volume: 1234560,
        asOf: fetchedAt,
        fetchedAt,
        source: 'pse-edge',
      },
    ],
  })
})

test('a PSE EDGE payload without open/high/low keeps the close alone', () => {
  const result = parseEdgeQuote(
    { stock: 'SM', close: '880.00', open: '', volume: '' },
    { fetchedAt, source: 'pse' },
  )
  assert.ok(result.ok)
  assert.deepEqual(
    [result.value.price, result.value.open, result.value.volume, result.value.source],
    [880, undefined, undefined, 'pse'],
  )
})

test('bad original payloads are errors that say why, never exceptions', () => {
  const cases: [unknown, string][] = [
    [null, 'phisix: no "stock" array'],
    ['{"stock":[]}', 'phisix: no "stock" array'],
    [
      { stock: [], as_of: '2022-10-14 14:50' },
      'phisix: "as_of" must be an ISO 8601 time with an offset, got "2022-10-14 14:50"',
    ],
    [
      { stock: [], as_of: '2022-10-14T14:50:00' },
      'phisix: "as_of" must be an ISO 8601 time with an offset, got "2022-10-14T14:50:00"',
    ],
    [
      { ...phisix, stock: [{ symbol: 'ALI', price: { currency: 'PHP', amount: 0 } }] },
      'phisix ALI: price: must be at least 1e-6 (MIN_PRICE)',
    ],
    [
      { ...phisix, stock: [{ symbol: 'ALI', price: { currency: 'PHP', amount: 'NaN' } }] },
      'phisix ALI: price.amount: not a number: "NaN"',
    ],
    [{ ...phisix, stock: [{ symbol: 'ALI' }] }, 'phisix ALI: no "price" object'],
    [
      { ...phisix, stock: [{ symbol: 'ali', price: { currency: 'PHP', amount: 1 } }] },
      'phisix ali: symbol: must be an upper-case ticker such as AAPL, ^GSPC or 7203.T',
    ],
    [
      { ...phisix, stock: [{ symbol: 'ALI', price: { currency: 'PHP', amount: 1 }, volume: -5 }] },
      'phisix ALI: volume: Too small: expected number to be >=0',
    ],
    [{ stock: 'JFC', open: '1' }, 'pse edge JFC: close: missing'],
    [{ stock: 'JFC', close: '1.000,00' }, 'pse edge JFC: close: not a number: "1.000,00"'],
    [{ stock: 'JFC', close: 'N/A' }, 'pse edge JFC: close: not a number: "N/A"'],
    [
      { stock: 'JFC', close: '100', high: '90', low: '80' },
      'pse edge JFC: price: must lie between low and high',
    ],
    [{ stock: 'JFC', close: '-1' }, 'pse edge JFC: price: must be at least 1e-6 (MIN_PRICE)'],
  ]
  for (const [input, error] of cases)
    assert.deepEqual(parseOriginalFormat(input, { fetchedAt }), { ok: false, error }, JSON.stringify(input))
})

test('parsePhisixStocks keeps one outcome per entry so one bad entry spares the rest', () => {
  const result = parsePhisixStocks(
    { ...phisix, stock: [...phisix.stock, { symbol: 'JFC', price: { currency: 'PHP', amount: '' } }] },
    { fetchedAt },
  )
  assert.ok(result.ok)
  assert.deepEqual(
    result.value.map((outcome) => [outcome.symbol, outcome.quote.ok]),
    [
      ['ALI', true],
      ['JFC', false],
    ],
  )
})
