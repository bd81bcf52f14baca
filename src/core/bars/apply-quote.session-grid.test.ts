import assert from 'node:assert/strict'
import { test } from 'node:test'
import { barQuote, config, expectedBar, feed, snapshot } from '../../../test/fixtures/bars/test-quotes.ts'

const hourly = config({ interval: '1h' })

test("Yahoo's one-hour bars stamped 09:30 … 15:30 stay session bars; the last is 15:30–16:00", () => {
  const stamps = ['14:30', '15:30', '16:30', '17:30', '18:30', '19:30', '20:30']
  const quotes = stamps.map((time, index) =>
    barQuote('1h', `2024-01-05T${time}:00Z`, [100 + index, 101 + index, 99 + index, 100.5 + index, 1000]),
  )
  const { bars, state, rejected } = feed(quotes, hourly)
  assert.deepEqual(rejected, [])
  assert.deepEqual(state.open, [])
  assert.deepEqual(
    bars.map((bar) => [new Date(bar.start).toISOString(), new Date(bar.end).toISOString()]),
    [
      ['2024-01-05T14:30:00.000Z', '2024-01-05T15:30:00.000Z'],
      ['2024-01-05T15:30:00.000Z', '2024-01-05T16:30:00.000Z'],
      ['2024-01-05T16:30:00.000Z', '2024-01-05T17:30:00.000Z'],
      ['2024-01-05T17:30:00.000Z', '2024-01-05T18:30:00.000Z'],
      ['2024-01-05T18:30:00.000Z', '2024-01-05T19:30:00.000Z'],
      ['2024-01-05T19:30:00.000Z', '2024-01-05T20:30:00.000Z'],
      ['2024-01-05T20:30:00.000Z', '2024-01-05T21:00:00.000Z'],
    ],
  )
  assert.deepEqual(
    bars[6],
    expectedBar('1h', '2024-01-05T20:30:00Z', '2024-01-05T21:00:00Z', [106, 107, 105, 106.5, 1000], 1),
  )
})

test('snapshots: 09:45 belongs to the 09:30 bar, the closing print to the short last bar', () => {
  const quotes = [
    snapshot('a', '2024-01-05T14:45:00Z', 100, { volume: 1000 }), // 09:45 New York
    snapshot('b', '2024-01-05T15:29:59Z', 101, { volume: 1500 }),
    snapshot('c', '2024-01-05T15:30:00Z', 102, { volume: 1800 }), // 10:30: the next bar
    snapshot('d', '2024-01-05T20:59:00Z', 103, { volume: 2500 }), // 15:59
    snapshot('e', '2024-01-05T21:00:00Z', 104, { volume: 2600 }), // the close, stamped 16:00
  ]
  const { bars, state } = feed(quotes, hourly)
  assert.deepEqual(bars, [
    expectedBar('1h', '2024-01-05T14:30:00Z', '2024-01-05T15:30:00Z', [100, 101, 100, 101, 1500], 2),
    expectedBar('1h', '2024-01-05T15:30:00Z', '2024-01-05T16:30:00Z', [102, 102, 102, 102, 300], 1),
    expectedBar('1h', '2024-01-05T20:30:00Z', '2024-01-05T21:00:00Z', [103, 104, 103, 104, 800], 2),
  ])
  assert.deepEqual(state.open, [])
})

test('without calendars the plain UTC grid of before is kept', () => {
  const plain = config({ interval: '1h', calendars: null })
  const { state } = feed([snapshot('a', '2024-01-05T14:45:00Z', 100)], plain)
  assert.deepEqual(
    state.open.map((bar) => [bar.start, bar.end]),
    [[Date.parse('2024-01-05T14:00:00Z'), Date.parse('2024-01-05T15:00:00Z')]],
  )
})
