import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Interval } from '../../core/contracts/primitives.ts'
import { hasFetchableSession } from './has-fetchable-session.ts'

const day = (date: string): number => Date.parse(`${date}T00:00:00Z`)
const endOf = (date: string): number => day(date) + 86_400_000 - 1

test('hasFetchableSession: only ranges with a session whose bar is complete by now need a request', () => {
  const cases: [string, string, TimeRangeText, Interval, string, boolean][] = [
    ['a US weekend', 'AAPL', ['2024-01-06', '2024-01-07'], '1d', '2024-01-10T00:00:00Z', false],
    ['Friday to Monday', 'AAPL', ['2024-01-05', '2024-01-08'], '1d', '2024-01-10T00:00:00Z', true],
    ['a NYSE holiday (New Year)', 'AAPL', ['2024-01-01', '2024-01-01'], '1d', '2024-01-10T00:00:00Z', false],
    ['today, not over yet', 'AAPL', ['2024-01-09', '2024-01-09'], '1d', '2024-01-09T22:00:00Z', false],
    ['today, over', 'AAPL', ['2024-01-09', '2024-01-09'], '1d', '2024-01-10T00:00:00Z', true],
    ['a PSE weekday', 'JFC', ['2024-01-08', '2024-01-08'], '1d', '2024-01-10T00:00:00Z', true],
    ['a PSE Saturday', 'JFC', ['2024-01-06', '2024-01-06'], '1d', '2024-01-10T00:00:00Z', false],
    ['1m on a trading day', 'AAPL', ['2024-01-08', '2024-01-08'], '1m', '2024-01-10T00:00:00Z', true],
    [
      '1m, the first minute still open',
      'AAPL',
      ['2024-01-08', '2024-01-08'],
      '1m',
      '2024-01-08T14:30:30Z',
      false,
    ],
    ['1m, the first minute closed', 'AAPL', ['2024-01-08', '2024-01-08'], '1m', '2024-01-08T14:31:00Z', true],
  ]
  for (const [name, symbol, [from, to], interval, now, expected] of cases) {
    assert.equal(
      hasFetchableSession(symbol, { fromMs: day(from), toMs: endOf(to) }, interval, Date.parse(now)),
      expected,
      name,
    )
  }
  const afterClose = { fromMs: Date.parse('2024-01-08T21:00:00Z'), toMs: endOf('2024-01-08') }
  assert.equal(hasFetchableSession('AAPL', afterClose, '1m', Date.parse('2024-01-10T00:00:00Z')), false)
})

type TimeRangeText = [string, string]
