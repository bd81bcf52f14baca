import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ewStandardDeviation, initEwMoments, updateEwMoments, type EwMomentsIndex } from './ew-moments.ts'

/** Moments of `dimension` components at the start of a state of their own. */
function momentsOf(dimension: number): [Float64Array, EwMomentsIndex] {
  const m = { dimension, weight: 0, count: 1, mean: 2, sumSq: 2 + dimension }
  const s = new Float64Array(2 + 2 * dimension).fill(Number.NaN)
  initEwMoments(s, m)
  return [s, m]
}

test('equals the batch exponentially weighted mean and variance from the first observation', () => {
  const xs = [3, -1, 4, 1, -5, 9, 2, 6]
  const decay = 0.8
  const [s, m] = momentsOf(2)
  for (const x of xs) updateEwMoments(s, m, [x, 2 * x], decay)
  const weights = xs.map((_, i) => decay ** (xs.length - 1 - i))
  const total = weights.reduce((a, b) => a + b, 0)
  const mean = xs.reduce((a, x, i) => a + weights[i]! * x, 0) / total
  const variance = xs.reduce((a, x, i) => a + weights[i]! * (x - mean) ** 2, 0) / total
  assert.ok(Math.abs(s[m.mean]! - mean) < 1e-12)
  assert.ok(Math.abs(ewStandardDeviation(s, m, 0) - Math.sqrt(variance)) < 1e-12)
  assert.ok(Math.abs(ewStandardDeviation(s, m, 1) - 2 * Math.sqrt(variance)) < 1e-12)
  assert.equal(s[m.count], 8)
})

test('a single observation has its value as mean and no spread; none has zero spread', () => {
  const [one, m] = momentsOf(1)
  updateEwMoments(one, m, [7], 0.9)
  assert.deepEqual(Array.from(one), [1, 1, 7, 0])
  assert.equal(ewStandardDeviation(...momentsOf(1), 0), 0)
})
