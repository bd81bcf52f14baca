import { applyQuote } from './apply-quote.ts'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { Bar } from '../contracts/bar.ts'
import type { Quote } from '../contracts/quote.ts'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { createBarBuilderState } from './bar-builder-state.ts'
import { barQuote, config, expectedBar, feed, snapshot } from '../../../test/fixtures/bars/test-quotes.ts'

test('a daily bar quote maps one-to-one to a daily bar, completed at once', () => {
  const quote = barQuote('1d', '2024-01-02T00:00:00Z', [187.15, 188.44, 183.89, 185.64, 82_488_700])
  for (const utcOffsetMs of [0, -5 * 3_600_000, 8 * 3_600_000]) {
    const { bars, state } = feed([quote], config({ interval: '1d', utcOffsetMs }))
    assert.deepEqual(bars, [
      expectedBar(
        '1d',
        '2024-01-02T00:00:00Z',
        '2024-01-03T00:00:00Z',
        [187.15, 188.44, 183.89, 185.64, 82_488_700],
        1,
      ),
    ])
    assert.deepEqual(state.open, [])
  }
})

test('1m bar quotes aggregate into a 5m bar, in any order, which completes with its last minute', () => {
  const minutes = [
    barQuote('1m', '2024-01-02T14:31:00Z', [10.2, 10.6, 10.1, 10.5, 200]),
    barQuote('1m', '2024-01-02T14:30:00Z', [10.0, 10.3, 9.9, 10.2, 100]),
    barQuote('1m', '2024-01-02T14:33:00Z', [10.4, 10.4, 9.7, 9.8, 400]),
    barQuote('1m', '2024-01-02T14:32:00Z', [10.5, 10.5, 10.3, 10.4, 300]),
  ]
  const fiveMinutes = config({ interval: '5m' })
  const partial = feed(minutes, fiveMinutes)
  assert.deepEqual(partial.bars, [])
  const { bars } = feed(
    [barQuote('1m', '2024-01-02T14:34:00Z', [9.8, 9.9, 9.6, 9.9, 500])],
    fiveMinutes,
    partial.state,
  )
  assert.deepEqual(bars, [
    expectedBar('5m', '2024-01-02T14:30:00Z', '2024-01-02T14:35:00Z', [10.0, 10.6, 9.6, 9.9, 1500], 5),
  ])
})

test('1h bar quotes (true instants) aggregate into the daily bar of their local date', () => {
  const manila = config({ interval: '1d', utcOffsetMs: 8 * 3_600_000 })
  const { bars } = feed(
    [
      barQuote('1h', '2024-01-02T01:00:00Z', [30, 31, 29.5, 30.5, 10]), // 09:00 on 2 January in Manila
      barQuote('1h', '2024-01-02T15:00:00Z', [30.5, 32, 30.4, 31.8, 20]), // 23:00: its end is local midnight
    ],
    manila,
  )
  assert.deepEqual(bars, [
    expectedBar('1d', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z', [30, 32, 29.5, 31.8, 30], 2),
  ])
})

test("a snapshot inside a bar quote's span neither opens nor closes the bar before it", () => {
  const { state } = feed(
    [
      barQuote('1m', '2024-01-02T14:31:00Z', [10.2, 10.6, 10.1, 10.5, 200]),
      snapshot('s', '2024-01-02T14:31:30Z', 10.3),
    ],
    config({ interval: '5m' }),
  )
  const bar = state.open[0]
  assert.deepEqual(
    [bar?.open, bar?.high, bar?.low, bar?.close, bar?.barVolume, bar?.count],
    [10.2, 10.6, 10.1, 10.5, 200, 2],
  )
})

test('a provider bar after its day closed is late; a 1d bar cannot feed 1h bars', () => {
  const daily = config({ interval: '1d' })
  const first = feed([barQuote('1d', '2024-01-03T00:00:00Z', [1, 2, 1, 2, 5])], daily)
  const late = feed([barQuote('1d', '2024-01-02T00:00:00Z', [1, 2, 1, 2, 5])], daily, first.state)
  assert.deepEqual(
    late.rejected.map((r) => r.reason),
    [
      'quote at 2024-01-02T00:00:00.000Z is for the 1d bar of 2024-01-02, already closed, and differs from what closed (the last closed bar is the 1d bar of 2024-01-03)',
    ],
  )
  // The same bar again under another id is identical to what closed: a duplicate, not a rejection.
  const again = applyQuote(
    first.state,
    { ...barQuote('1d', '2024-01-03T00:00:00Z', [1, 2, 1, 2, 5]), id: 'again' },
    daily,
  )
  assert.equal(again.rejected, null)
  assert.equal(again.duplicate, 'bar')
  // A conflicting bar more than dedupCapacity / 2 (32) days before the last closed one is too old to compare.
  const old = applyQuote(first.state, barQuote('1d', '2023-12-01T00:00:00Z', [1, 2, 1, 2, 5]), daily)
  assert.deepEqual([old.rejected, old.duplicate], [null, 'history'])
  const hourly = feed([barQuote('1d', '2024-01-03T00:00:00Z', [1, 2, 1, 2, 5])], config({ interval: '1h' }))
  assert.deepEqual(
    hourly.rejected.map((r) => r.kind),
    ['invalid'],
  )
})

for (const [file, symbol] of [
  ['sp500.csv', '^GSPC'],
  ['aapl.csv', 'AAPL'],
] as const) {
  test(`the real ${symbol} series, replayed as daily bar quotes, comes back bar for bar`, () => {
    const parsed = parseOhlcvCsv(readFileSync(new URL(`../../../data/${file}`, import.meta.url), 'utf8'), {
      symbol,
    })
    if (!parsed.ok) throw new Error(parsed.error)
    const quotes: Quote[] = parsed.value.map((bar) => ({
      schema: 1,
      id: `replay:${symbol}:1d:${bar.start}`,
      symbol,
      exchange: 'NYSE',
      currency: 'USD',
      kind: 'bar',
      interval: '1d',
      price: bar.close,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      volume: bar.volume,
      asOf: bar.start,
      fetchedAt: bar.end,
      source: 'replay',
    }))
    const { bars, rejected } = feed(
      quotes,
      config({ interval: '1d', utcOffsetMs: -5 * 3_600_000 }),
      createBarBuilderState(symbol),
    )
    assert.deepEqual(rejected, [])
    assert.deepEqual(bars, parsed.value satisfies Bar[])
  })
}
