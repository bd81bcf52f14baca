import assert from 'node:assert/strict'
import { test } from 'node:test'
import { applyQuote } from './apply-quote.ts'
import { barBuilderStateSchema, createBarBuilderState } from './bar-builder-state.ts'
import { config, expectedBar, feed, snapshot } from '../../../test/fixtures/bars/test-quotes.ts'

const oneMinute = config({ interval: '1m' })
const minuteQuotes = [
  snapshot('s1', '2024-01-02T14:30:05Z', 100, { volume: 1000 }),
  snapshot('s2', '2024-01-02T14:30:20Z', 102, { volume: 1500 }),
  snapshot('s3', '2024-01-02T14:30:50Z', 101, { volume: 1800 }),
  snapshot('s4', '2024-01-02T14:31:05Z', 103, { volume: 2500 }),
  snapshot('s5', '2024-01-02T14:32:00Z', 104, { volume: 2600 }),
]

test('snapshots into 1m bars: a bar closes when a quote for a later bar arrives', () => {
  const { bars, rejected, state } = feed(minuteQuotes, oneMinute)
  assert.deepEqual(rejected, [])
  assert.deepEqual(bars, [
    // The first bar of the day carries the cumulative day volume so far; later bars its growth.
    expectedBar('1m', '2024-01-02T14:30:00Z', '2024-01-02T14:31:00Z', [100, 102, 100, 101, 1800], 3),
    expectedBar('1m', '2024-01-02T14:31:00Z', '2024-01-02T14:32:00Z', [103, 103, 103, 103, 700], 1),
  ])
  assert.deepEqual(
    state.open.map((bar) => [bar.start, bar.close, bar.count]),
    [[Date.parse('2024-01-02T14:32:00Z'), 104, 1]],
  )
})

test('the same snapshots into a 5m bar', () => {
  const quotes = [...minuteQuotes, snapshot('s6', '2024-01-02T14:35:00Z', 99, { volume: 3000 })]
  const { bars } = feed(quotes, config({ interval: '5m' }))
  assert.deepEqual(bars, [
    expectedBar('5m', '2024-01-02T14:30:00Z', '2024-01-02T14:35:00Z', [100, 104, 100, 104, 2600], 5),
  ])
})

test('snapshots into a daily bar use the day open, high, low and cumulative volume they carry', () => {
  const quotes = [
    snapshot('d1', '2024-01-02T15:00:00Z', 185, { open: 187, high: 188, low: 184, volume: 1e6 }),
    snapshot('d2', '2024-01-02T20:59:00Z', 186, { open: 187, high: 188.4, low: 183.9, volume: 5e6 }),
    snapshot('d3', '2024-01-03T14:31:00Z', 184, { open: 184.2, high: 184.5, low: 183.8, volume: 2e5 }),
  ]
  const { bars } = feed(quotes, config({ interval: '1d' }))
  assert.deepEqual(bars, [
    expectedBar('1d', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z', [187, 188.4, 183.9, 186, 5e6], 2),
  ])
})

test("intraday, a snapshot adds only its price: its open, high and low are the whole day's", () => {
  const { state } = feed(
    [snapshot('p', '2024-01-02T14:30:10Z', 100, { open: 90, high: 120, low: 80 })],
    oneMinute,
  )
  const bar = state.open[0]
  assert.deepEqual([bar?.open, bar?.high, bar?.low, bar?.close], [100, 100, 100, 100])
})

test('the daily boundary follows the exchange offset; the bar is labelled 00:00 UTC of the local date', () => {
  const manila = config({ interval: '1d', utcOffsetMs: 8 * 3_600_000 }) // PSE, Asia/Manila, +08:00
  const { bars } = feed(
    [
      snapshot('m1', '2024-01-02T01:30:00Z', 30), // 09:30 on 2 January in Manila
      snapshot('m2', '2024-01-02T15:59:59Z', 31), // 23:59:59 on 2 January
      snapshot('m3', '2024-01-02T16:00:00Z', 32), // midnight: 3 January has begun
    ],
    manila,
  )
  assert.deepEqual(bars, [
    expectedBar('1d', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z', [30, 31, 30, 31, 0], 2),
  ])
  const newYork = config({ interval: '1d', utcOffsetMs: -5 * 3_600_000 })
  const evening = feed([snapshot('n1', '2024-01-03T01:00:00Z', 10)], newYork) // 20:00 on 2 January in New York
  assert.equal(evening.state.open[0]?.start, Date.parse('2024-01-02T00:00:00Z'))
})

test('out-of-order quotes within the open bar are merged by event time', () => {
  const { bars } = feed(
    [
      snapshot('o1', '2024-01-02T14:30:40Z', 101),
      snapshot('o2', '2024-01-02T14:30:10Z', 100),
      snapshot('o3', '2024-01-02T14:30:50Z', 99),
      snapshot('o4', '2024-01-02T14:30:20Z', 103),
      snapshot('o5', '2024-01-02T14:31:00Z', 98),
    ],
    oneMinute,
  )
  assert.deepEqual(bars, [
    expectedBar('1m', '2024-01-02T14:30:00Z', '2024-01-02T14:31:00Z', [100, 103, 99, 99, 0], 4),
  ])
})

test('a quote for a closed bar is rejected as late, naming the bar, and changes nothing', () => {
  const { state } = feed(minuteQuotes, oneMinute)
  const before = structuredClone(state)
  const out = applyQuote(state, snapshot('late', '2024-01-02T14:30:59Z', 150), oneMinute)
  assert.equal(out.state, state)
  assert.deepEqual(state, before)
  assert.deepEqual(out.completed, [])
  assert.deepEqual(out.rejected, {
    kind: 'late',
    reason:
      'quote at 2024-01-02T14:30:59.000Z is for the 1m bar starting 2024-01-02T14:30:00.000Z, already closed ' +
      '(the last closed bar is the 1m bar starting 2024-01-02T14:31:00.000Z)',
  })
})

test('with allowed lateness a bar waits for stragglers, then closes', () => {
  const lenient = config({ interval: '1m', allowedLatenessMs: 10_000 })
  const first = feed(
    [snapshot('a', '2024-01-02T14:30:10Z', 100), snapshot('b', '2024-01-02T14:31:05Z', 101)],
    lenient,
  )
  assert.deepEqual(first.bars, [])
  const second = feed(
    [
      snapshot('c', '2024-01-02T14:30:59Z', 99), // 6 s late: still merged
      snapshot('d', '2024-01-02T14:31:10Z', 102), // event time 14:31:10 - 10 s passes 14:31: the bar closes
      snapshot('e', '2024-01-02T14:30:58Z', 97), // now too late
    ],
    lenient,
    first.state,
  )
  assert.deepEqual(second.bars, [
    expectedBar('1m', '2024-01-02T14:30:00Z', '2024-01-02T14:31:00Z', [100, 100, 99, 99, 0], 2),
  ])
  assert.deepEqual(
    second.rejected.map((r) => r.kind),
    ['late'],
  )
  assert.equal(second.state.open.length, 1)
})

test('duplicates are dropped by id, not rejected; the id memory is bounded', () => {
  const quotes = [snapshot('a', '2024-01-02T14:30:10Z', 100), snapshot('a', '2024-01-02T14:30:10Z', 100)]
  const once = feed(quotes, oneMinute)
  assert.deepEqual(once.rejected, [])
  assert.equal(once.state.open[0]?.count, 1)
  const before = structuredClone(once.state)
  const again = applyQuote(once.state, quotes[0]!, oneMinute)
  assert.deepEqual([again.rejected, again.duplicate, again.completed], [null, 'quote', []])
  assert.deepEqual(once.state, before, 'a duplicate changes nothing')
  // A duplicate of a quote whose bar has closed is still a duplicate while its id is remembered...
  const closed = feed([snapshot('b', '2024-01-02T14:31:10Z', 101)], oneMinute, once.state)
  assert.equal(closed.bars.length, 1)
  assert.equal(applyQuote(closed.state, quotes[0]!, oneMinute).duplicate, 'quote')
  // ...and with room for two ids, the third id pushes the first out.
  const small = config({ interval: '1m', dedupCapacity: 2 })
  const forgotten = feed(
    ['x', 'y', 'z', 'x'].map((id, i) => snapshot(id, `2024-01-02T14:30:1${i}Z`, 100)),
    small,
  )
  assert.deepEqual(forgotten.rejected, [])
  assert.equal(forgotten.state.recentIds.length, 2)
})

test('a gap creates no bars: the next bar simply starts later', () => {
  const { bars, state } = feed(
    [
      snapshot('g1', '2024-01-02T14:30:10Z', 100),
      snapshot('g2', '2024-01-02T14:34:10Z', 101),
      snapshot('g3', '2024-01-02T14:35:00Z', 102),
    ],
    oneMinute,
  )
  assert.deepEqual(bars, [
    expectedBar('1m', '2024-01-02T14:30:00Z', '2024-01-02T14:31:00Z', [100, 100, 100, 100, 0], 1),
    expectedBar('1m', '2024-01-02T14:34:00Z', '2024-01-02T14:35:00Z', [101, 101, 101, 101, 0], 1),
  ])
  assert.equal(state.open[0]?.start, Date.parse('2024-01-02T14:35:00Z'))
})

test('cumulative day volume restarts at the exchange midnight', () => {
  const { bars } = feed(
    [
      snapshot('v1', '2024-01-02T20:59:10Z', 100, { volume: 5000 }),
      snapshot('v2', '2024-01-03T14:30:10Z', 101, { volume: 300 }),
      snapshot('v3', '2024-01-03T14:31:10Z', 102, { volume: 900 }),
    ],
    oneMinute,
  )
  assert.deepEqual(
    bars.map((bar) => bar.volume),
    [5000, 300],
  )
})

test('unusable quotes are invalid: another symbol, asOf after fetchedAt, a coarser bar', () => {
  const state = createBarBuilderState('AAPL')
  const cases = [
    [
      snapshot('i1', '2024-01-02T14:30:10Z', 1, { symbol: 'MSFT' }),
      'quote for MSFT reached the bar builder of AAPL',
    ],
    [
      snapshot('i2', '2024-01-02T14:30:10Z', 1, { fetchedAt: Date.parse('2024-01-02T14:20:00Z') }),
      'asOf 2024-01-02T14:30:10.000Z is after fetchedAt 2024-01-02T14:20:00.000Z',
    ],
    [
      snapshot('i3', '2024-01-02T14:30:10Z', 1, { kind: 'bar', interval: '5m' }),
      'a 5m bar cannot be aggregated into 1m bars',
    ],
  ] as const
  for (const [quote, reason] of cases) {
    const out = applyQuote(state, quote, oneMinute)
    assert.deepEqual(out.rejected, { kind: 'invalid', reason })
    assert.equal(out.state, state)
    assert.deepEqual(state, createBarBuilderState('AAPL'))
  }
})

test('the state changes in place; bars already returned never change', () => {
  const lenient = config({ interval: '1m', allowedLatenessMs: 30_000 })
  const state = createBarBuilderState('AAPL')
  const returned: { bar: unknown; json: string }[] = []
  const quotes = Array.from({ length: 400 }, (_, i) =>
    snapshot(
      `q${i}`,
      new Date(Date.parse('2024-01-02T14:30:00Z') + i * 13_000).toISOString(),
      100 + (i % 9),
      {
        volume: i * 10,
      },
    ),
  )
  for (const quote of quotes) {
    const out = applyQuote(state, quote, lenient)
    assert.equal(out.state, state)
    for (const bar of out.completed) returned.push({ bar, json: JSON.stringify(bar) })
  }
  assert.equal(returned.length, 85)
  for (const { bar, json } of returned) assert.equal(JSON.stringify(bar), json)
  assert.equal(state.recentIds.length, 64)
})

test('state stays small and valid: many quotes with long ids', () => {
  const quotes = Array.from({ length: 1000 }, (_, i) =>
    snapshot(
      `yahoo:AAPL:snapshot:${Date.parse('2024-01-02T14:30:00Z') + i * 7000}`,
      new Date(Date.parse('2024-01-02T14:30:00Z') + i * 7000).toISOString(),
      100 + (i % 7),
      { volume: i * 100 },
    ),
  )
  const { state, bars, rejected } = feed(quotes, oneMinute)
  assert.equal(rejected.length, 0)
  assert.equal(bars.length, 116)
  assert.equal(state.recentIds.length, 64)
  const json = JSON.stringify(state)
  assert.ok(json.length < 4096, `${json.length} bytes`)
  assert.deepEqual(barBuilderStateSchema.parse(JSON.parse(json)), state)
})

test('with the deployed default (one processor for every exchange, offset 0), a snapshot from any moment of a PSE or NYSE session gets its exchange-local date', () => {
  const deployed = config({ interval: '1d' })
  const cases = [
    // [symbol, exchange, instant, local date]: every session lies inside one UTC day.
    ['JFC', 'PSE', '2025-12-23T09:30:00+08:00', '2025-12-23'],
    ['JFC', 'PSE', '2025-12-23T15:00:00+08:00', '2025-12-23'],
    ['JFC', 'PSE', '2025-12-23T15:20:00+08:00', '2025-12-23'], // the close plus the grace
    ['AAPL', 'NASDAQ', '2025-12-23T09:30:00-05:00', '2025-12-23'], // winter, EST
    ['AAPL', 'NASDAQ', '2025-12-23T16:20:00-05:00', '2025-12-23'],
    ['AAPL', 'NASDAQ', '2025-07-01T09:30:00-04:00', '2025-07-01'], // summer, EDT
    ['AAPL', 'NASDAQ', '2025-07-01T16:20:00-04:00', '2025-07-01'],
  ] as const
  for (const [symbol, exchange, at, date] of cases) {
    const quote = snapshot(`${symbol}-${at}`, at, 100, { symbol, exchange })
    const { state, rejected } = feed([quote], deployed, createBarBuilderState(symbol))
    assert.deepEqual(rejected, [], at)
    assert.equal(
      new Date(state.open[0]?.start ?? 0).toISOString(),
      `${date}T00:00:00.000Z`,
      `${symbol} ${at}`,
    )
  }
})
