import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ewStandardDeviation, initialEwMoments, updateEwMoments } from './ew-moments.ts'

test('equals the batch exponentially weighted mean and variance from the first observation', () => {
  const xs = [3, -1, 4, 1, -5, 9, 2, 6]
  const decay = 0.8
  const moments = initialEwMoments(2)
  for (const x of xs) updateEwMoments(moments, [x, 2 * x], decay)
  const weights = xs.map((_, i) => decay ** (xs.length - 1 - i))
  const total = weights.reduce((a, b) => a + b, 0)
  const mean = xs.reduce((a, x, i) => a + weights[i]! * x, 0) / total
  const variance = xs.reduce((a, x, i) => a + weights[i]! * (x - mean) ** 2, 0) / total
  assert.ok(Math.abs(moments.mean[0]! - mean) < 1e-12)
  assert.ok(Math.abs(ewStandardDeviation(moments, 0) - Math.sqrt(variance)) < 1e-12)
  assert.ok(Math.abs(ewStandardDeviation(moments, 1) - 2 * Math.sqrt(variance)) < 1e-12)
  assert.equal(moments.count, 8)
})

test('a single observation has its value as mean and no spread; none has zero spread', () => {
  const one = initialEwMoments(1)
  updateEwMoments(one, [7], 0.9)
  assert.deepEqual(one, { weight: 1, count: 1, mean: [7], sumSq: [0] })
  assert.equal(ewStandardDeviation(initialEwMoments(1), 0), 0)
})
