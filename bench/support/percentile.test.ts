import assert from 'node:assert/strict'
import { test } from 'node:test'
import { median, percentile } from './percentile.ts'

test('median and nearest-rank percentile', () => {
  assert.equal(median([3, 1, 2]), 2)
  assert.equal(median([4, 1, 3, 2]), 2.5)
  assert.ok(Number.isNaN(median([])))
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i)
  assert.equal(percentile(hundred, 0.99), 99)
  assert.equal(percentile(hundred, 0.5), 50)
  assert.equal(percentile(hundred, 1), 100)
  assert.equal(percentile([7], 0), 7)
})
