import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Bar } from '../../core/contracts/bar.ts'
import { splitSeries } from './split-series.ts'

const bar = (start: number): Bar => ({
  schema: 1,
  symbol: 'X',
  interval: '1d',
  start,
  end: start + 1,
  open: 1,
  high: 1,
  low: 1,
  close: 1,
  volume: 0,
  count: 1,
})

test('the last liveBars bars of each series are live, the rest history; a short series is all live', () => {
  const { history, live } = splitSeries(
    new Map([
      ['A', [bar(1), bar(2), bar(3)]],
      ['B', [bar(1)]],
    ]),
    2,
  )
  assert.deepEqual(
    history.get('A')?.map((b) => b.start),
    [1],
  )
  assert.deepEqual(
    live.get('A')?.map((b) => b.start),
    [2, 3],
  )
  assert.deepEqual(history.get('B'), [])
  assert.deepEqual(
    live.get('B')?.map((b) => b.start),
    [1],
  )
})
