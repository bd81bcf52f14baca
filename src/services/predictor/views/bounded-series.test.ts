import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createBoundedSeries } from './bounded-series.ts'

const series = (capacity: number, keys: readonly number[]) => {
  const result = createBoundedSeries((item: { key: number; label: string }) => item.key, capacity)
  for (const key of keys) result.upsert({ key, label: `k${key}` })
  return result
}
const keysOf = (items: readonly { key: number }[]) => items.map((item) => item.key)

test('keeps items in key order whatever the arrival order', () => {
  const cases: [number[], number[]][] = [
    [
      [1, 2, 3],
      [1, 2, 3],
    ],
    [
      [3, 1, 2],
      [1, 2, 3],
    ],
    [
      [2, 2, 1, 1],
      [1, 2],
    ],
    [
      [5, 4, 3, 2, 1],
      [1, 2, 3, 4, 5],
    ],
  ]
  for (const [arrivals, expected] of cases) {
    assert.deepEqual(
      keysOf(series(10, arrivals).range(0, 100, 100)),
      expected,
      `arrivals ${arrivals.join(',')}`,
    )
  }
})

test('keeps only the newest `capacity` items and ignores one older than all of them', () => {
  const s = series(3, [1, 2, 3, 4, 5])
  assert.deepEqual(keysOf(s.range(0, 100, 100)), [3, 4, 5])
  assert.equal(s.upsert({ key: 1, label: 'late' }), false)
  assert.equal(s.upsert({ key: 4, label: 'again' }), true)
  assert.equal(s.get(4)?.label, 'again')
  assert.equal(s.size, 3)
})

test('a late item inside the kept window is inserted and the oldest dropped', () => {
  const s = series(3, [1, 3, 5])
  assert.equal(s.upsert({ key: 4, label: 'late' }), true)
  assert.deepEqual(keysOf(s.range(0, 100, 100)), [3, 4, 5])
})

test('range is inclusive and returns the newest `limit` items', () => {
  const s = series(100, [10, 20, 30, 40, 50])
  const cases: [number, number, number, number[]][] = [
    [0, 100, 100, [10, 20, 30, 40, 50]],
    [20, 40, 100, [20, 30, 40]],
    [21, 39, 100, [30]],
    [0, 100, 2, [40, 50]],
    [60, 100, 10, []],
    [0, 5, 10, []],
  ]
  for (const [from, to, limit, expected] of cases) {
    assert.deepEqual(keysOf(s.range(from, to, limit)), expected, `range(${from}, ${to}, ${limit})`)
  }
})

test('get, last and before', () => {
  const s = series(10, [1, 2, 3])
  assert.equal(s.get(2)?.label, 'k2')
  assert.equal(s.get(7), undefined)
  assert.equal(s.last()?.key, 3)
  assert.equal(s.before(3)?.key, 2)
  assert.equal(s.before(2.5)?.key, 2)
  assert.equal(s.before(1), undefined)
  assert.equal(series(10, []).last(), undefined)
  assert.throws(() => series(0, []), RangeError)
})
