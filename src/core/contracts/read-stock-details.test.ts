import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readStockDetails } from './read-stock-details.ts'

const fetchedAt = Date.parse('2022-10-14T06:50:03Z')
const context = { fetchedAt, source: 'stock-details' }
const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value))

/** The original project's own example message. */
const original = {
  stock: [
    {
      name: 'Ayala Land',
      price: { currency: 'PHP', amount: 23.5 },
      percent_change: 3.07,
      volume: 13724300,
      symbol: 'ALI',
    },
    {
      name: 'Jollibee',
      price: { currency: 'PHP', amount: 225.4 },
      percent_change: -0.27,
      volume: 731640,
      symbol: 'JFC',
    },
  ],
  as_of: '2022-10-14T14:50:00+08:00',
}

test('the original example becomes one PSE quote per stock, at as_of, in its currency', () => {
  const asOf = Date.parse('2022-10-14T06:50:00Z')
  assert.deepEqual(readStockDetails(bytes(original), context), {
    ok: true,
    value: {
      quotes: [
        {
          schema: 1,
          id: `stock-details:ALI:snapshot:${asOf}`,
          symbol: 'ALI',
          exchange: 'PSE',
          currency: 'PHP',
          kind: 'snapshot',
          price: 23.5,
          volume: 13724300,
          asOf,
          fetchedAt,
          source: 'stock-details',
        },
        {
          schema: 1,
          id: `stock-details:JFC:snapshot:${asOf}`,
          symbol: 'JFC',
          exchange: 'PSE',
          currency: 'PHP',
          kind: 'snapshot',
          price: 225.4,
          volume: 731640,
          asOf,
          fetchedAt,
          source: 'stock-details',
        },
      ],
      rejected: [],
      entries: 2,
    },
  })
})

test('a bad entry is rejected with its reason and spares the others', () => {
  const [ali, jfc] = original.stock
  const message = {
    ...original,
    stock: [ali, { ...jfc, price: { currency: 'PHP', amount: 'n/a' } }, { symbol: 'X' }],
  }
  const result = readStockDetails(bytes(message), context)
  assert.ok(result.ok)
  assert.deepEqual(
    result.value.quotes.map((quote) => quote.symbol),
    ['ALI'],
  )
  assert.equal(result.value.entries, 3)
  assert.deepEqual(result.value.rejected, [
    'phisix JFC: price.amount: not a number: "n/a"',
    'phisix X: no "price" object',
  ])
})

test('a PSE EDGE record is read too, stamped with the fetch time', () => {
  const result = readStockDetails(bytes({ stock: 'JFC', close: '1,000.00' }), context)
  assert.ok(result.ok)
  const [quote] = result.value.quotes
  assert.ok(quote)
  assert.equal(quote.asOf, fetchedAt)
  assert.equal(quote.price, 1000)
})

test('what is not a stock-details message is an error naming why', () => {
  const cases: [Uint8Array | null, string][] = [
    [null, 'empty message'],
    [Buffer.from('{"stock":[{"symbol":"ALI"'), 'message is not JSON: '],
    [Buffer.from([0xff, 0xfe]), 'message is not valid UTF-8'],
    [bytes({ quotes: [] }), 'phisix: no "stock" array'],
    [
      bytes({ ...original, as_of: '2022-10-14 14:50' }),
      'phisix: "as_of" must be an ISO 8601 time with an offset, got "2022-10-14 14:50"',
    ],
    [
      bytes({ ...original, as_of: undefined }),
      'phisix: "as_of" must be an ISO 8601 time with an offset, got undefined',
    ],
    [bytes({ stock: 'JFC', close: 'closed' }), 'pse edge JFC: close: '],
  ]
  for (const [input, reason] of cases) {
    const result = readStockDetails(input, context)
    assert.ok(!result.ok, reason)
    assert.ok(result.error.startsWith(reason), `${result.error} starts with ${reason}`)
  }
})
