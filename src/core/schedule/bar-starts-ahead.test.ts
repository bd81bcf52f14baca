import assert from 'node:assert/strict'
import { test } from 'node:test'
import { barStartAhead, MAX_BARS_AHEAD } from './bar-starts-ahead.ts'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { nextBarStart } from './next-bar-start.ts'

const US = EXCHANGE_CALENDARS.US
const iso = (ms: number): string => new Date(ms).toISOString()

test('daily: 5 and 20 sessions ahead skip weekends and holidays', () => {
  const friday = Date.parse('2024-11-22T00:00:00Z')
  // Thanksgiving (Thursday 28 November) is closed: 25, 26, 27, 29 November, then Monday 2 December.
  assert.equal(iso(barStartAhead(US, '1d', friday, 1)), '2024-11-25T00:00:00.000Z')
  assert.equal(iso(barStartAhead(US, '1d', friday, 5)), '2024-12-02T00:00:00.000Z')
  // Four sessions in Thanksgiving week, then three full weeks (15), then Monday 23 December.
  assert.equal(iso(barStartAhead(US, '1d', friday, 20)), '2024-12-23T00:00:00.000Z')
})

test('intraday: the same as nextBarStart applied k times, across the close', () => {
  // 14:30 New York (EST): the 15:00 and 15:30 bars, then Monday's 09:30 (EDT, 13:30 UTC).
  const start = Date.parse('2024-03-08T19:30:00Z')
  for (let bars = 1; bars <= MAX_BARS_AHEAD; bars++) {
    let expected = start
    for (let k = 0; k < bars; k++) expected = nextBarStart(US, '30m', expected)
    assert.equal(barStartAhead(US, '30m', start, bars), expected, `${bars} bars ahead`)
  }
  assert.equal(iso(barStartAhead(US, '30m', start, 2)), '2024-03-08T20:30:00.000Z')
  assert.equal(
    iso(barStartAhead(US, '30m', start, 3)),
    '2024-03-11T13:30:00.000Z',
    'Monday 09:30 after the DST change',
  )
})

test('a bar count outside 1 to MAX_BARS_AHEAD is refused by name', () => {
  assert.throws(() => barStartAhead(US, '1d', 0, 0), /bars ahead must be an integer from 1 to 20, not 0/)
  assert.throws(() => barStartAhead(US, '1d', 0, 21), /not 21/)
})

test('bar after bar, as a symbol replayed alone asks, gives what each start gives asked afresh', () => {
  const calendar = { ...US }
  const fresh = { ...US }
  let start = Date.parse('2023-12-01T00:00:00Z')
  for (let bar = 0; bar < 60; bar++) {
    for (const bars of [1, 5, 20]) {
      let expected = start
      for (let k = 0; k < bars; k++) expected = nextBarStart(fresh, '1d', expected)
      assert.equal(barStartAhead(calendar, '1d', start, bars), expected, `${iso(start)} + ${bars}`)
    }
    start = barStartAhead(calendar, '1d', start, 1)
  }
})

const startsAfterAfresh = (calendar: typeof US, interval: '1d' | '30m', start: number): number[] => {
  const ahead: number[] = []
  for (let k = 0, at = start; k < MAX_BARS_AHEAD; k++) ahead.push((at = nextBarStart(calendar, interval, at)))
  return ahead
}

test('symbols at different dates asked in turn, and a start off the grid, each get their own starts', () => {
  const calendar = { ...US }
  const fresh = { ...US }
  const cursors = ['2008-09-12T00:00:00Z', '2020-03-02T00:00:00Z', '2008-09-12T00:00:00Z'].map(Date.parse)
  for (let bar = 0; bar < 40; bar++) {
    for (let c = 0; c < cursors.length; c++) {
      // The third symbol lags the first by a bar, then asks at 13:00 UTC, which is no bar start.
      const start = c === 2 && bar % 7 === 3 ? cursors[c]! + 13 * 3_600_000 : cursors[c]!
      const expected = startsAfterAfresh(fresh, '1d', start)
      for (const bars of [20, 1, 5])
        assert.equal(
          barStartAhead(calendar, '1d', start, bars),
          expected[bars - 1],
          `${iso(start)} + ${bars}`,
        )
      if (c !== 2 || bar > 0) cursors[c] = expected[0]!
    }
  }
})

test('past the limit of starts kept, every start ahead is still right', () => {
  const calendar = { ...US }
  const fresh = { ...US }
  let start = Date.parse('2020-01-02T14:30:00Z')
  let expected = startsAfterAfresh(fresh, '30m', start)
  for (let bar = 0; bar < 9_000; bar++) {
    if (bar % 500 === 0) {
      for (let bars = 1; bars <= MAX_BARS_AHEAD; bars++)
        assert.equal(
          barStartAhead(calendar, '30m', start, bars),
          expected[bars - 1],
          `${iso(start)} + ${bars}`,
        )
    }
    assert.equal(barStartAhead(calendar, '30m', start, MAX_BARS_AHEAD), expected[MAX_BARS_AHEAD - 1])
    start = expected[0]!
    expected = [...expected.slice(1), nextBarStart(fresh, '30m', expected[MAX_BARS_AHEAD - 1]!)]
  }
})
