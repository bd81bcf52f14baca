import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Quote } from '../../core/contracts/quote.ts'
import { isRepeatQuote } from './is-repeat-quote.ts'

const bar: Quote = {
  schema: 1,
  id: 'yahoo:AAPL:1d:1766448000000',
  symbol: 'AAPL',
  exchange: 'US',
  currency: 'USD',
  kind: 'bar',
  interval: '1d',
  price: 269.5,
  open: 273.42,
  high: 274.59,
  low: 269.5,
  volume: 390_078,
  asOf: Date.parse('2025-12-23T00:00:00Z'),
  fetchedAt: Date.parse('2025-12-24T14:00:00Z'),
  source: 'yahoo',
}
const afterClose: Quote = {
  ...bar,
  id: 'yahoo:AAPL:snapshot:1766523600000',
  kind: 'snapshot',
  asOf: Date.parse('2025-12-23T21:00:00Z'),
}
const { interval: _interval, ...withoutInterval } = afterClose
const snapshot: Quote = withoutInterval

test('a snapshot restating the backfilled daily bar it follows is a repeat; a different one is news', () => {
  const cases: [string, Quote | undefined, Quote, boolean][] = [
    ['nothing in the stream', undefined, snapshot, false],
    ['the same id', snapshot, { ...snapshot, fetchedAt: snapshot.fetchedAt + 60_000 }, true],
    [
      'an unchanged snapshot, restamped',
      snapshot,
      { ...snapshot, id: 'other', asOf: snapshot.asOf + 60_000 },
      true,
    ],
    ['the backfilled day, restated after its close', bar, snapshot, true],
    [
      'the same day without open, high, low or volume',
      bar,
      { ...snapshot, open: undefined, high: undefined, low: undefined, volume: undefined },
      true,
    ],
    ['another close for that day (a correction)', bar, { ...snapshot, price: 270 }, false],
    ['another volume for that day', bar, { ...snapshot, volume: 400_000 }, false],
    [
      'the next day at the same prices',
      bar,
      { ...snapshot, asOf: Date.parse('2025-12-24T15:00:00Z') },
      false,
    ],
    ['a bar after a bar is compared by id only', bar, { ...bar, id: 'yahoo:AAPL:1d:1766534400000' }, false],
  ]
  for (const [name, last, quote, expected] of cases) assert.equal(isRepeatQuote(last, quote), expected, name)
})
