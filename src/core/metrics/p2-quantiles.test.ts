import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { addP2Observation, p2Quantile } from './p2-quantiles.ts'

const CELLS = 5

/** Markers of a stream of values, as the accumulator keeps them. */
function markersOf(values: readonly number[]): Float64Array {
  const state = new Float64Array(2 * (CELLS + 1)).fill(Number.NaN)
  values.forEach((x, i) => addP2Observation(state, 0, CELLS, i + 1, x))
  return state
}

test('the first six observations are kept sorted and exact, with sample quantiles in between', () => {
  const state = markersOf([3, 1, 4])
  assert.deepEqual(Array.from(state.subarray(0, 3)), [1, 3, 4])
  // Sorted [1, 3, 4]: the 20 % quantile lies at rank 0.4, the 80 % at rank 1.6.
  assert.equal(p2Quantile(state, 0, CELLS, 3, 1), 1 + 0.4 * 2)
  assert.equal(p2Quantile(state, 0, CELLS, 3, 4), 3 + 0.6 * 1)
  assert.ok(Number.isNaN(p2Quantile(markersOf([]), 0, CELLS, 0, 2)))
  const six = markersOf([3, 1, 4, 1, 5, 9])
  assert.deepEqual(Array.from(six), [1, 1, 3, 4, 5, 9, 1, 2, 3, 4, 5, 6])
  assert.deepEqual(
    [1, 2, 3, 4].map((k) => p2Quantile(six, 0, CELLS, 6, k)),
    [1, 3, 4, 5],
  )
})

test('a marker off its desired position by a whole step moves parabolically, by hand', () => {
  // 7th value 2: cell 1, markers 2…5 advance to [1, 2, 4, 5, 6, 7]; every marker within 1 of
  // 1 + 6i/5. 8th value 2: positions [1, 2, 5, 6, 7, 8]; marker 2 wants 1 + 14/5 = 3.8, off by
  // −1.2, so it moves down: 3 − (1/4)·((5 − 2 − 1)·(4 − 3)/1 + (6 − 5 + 1)·(3 − 1)/3) = 13/6.
  const state = markersOf([3, 1, 4, 1, 5, 9, 2])
  assert.deepEqual(Array.from(state), [1, 1, 3, 4, 5, 9, 1, 2, 4, 5, 6, 7])
  addP2Observation(state, 0, CELLS, 8, 2)
  const expected = [1, 1, 13 / 6, 4, 5, 9, 1, 2, 4, 6, 7, 8]
  assert.ok(
    expected.every((value, i) => Math.abs((state[i] ?? 0) - value) < 1e-12),
    Array.from(state).join(' '),
  )
  // A new minimum or maximum becomes the end marker.
  addP2Observation(state, 0, CELLS, 9, 0.5)
  addP2Observation(state, 0, CELLS, 10, 12)
  assert.deepEqual([state[0], state[5], state[6], state[11]], [0.5, 12, 1, 10])
})

test('the markers approach the true quintiles of a uniform and of a log-normal stream', () => {
  const random = seededRandom(15)
  const uniform = Array.from({ length: 20_000 }, () => random.uniform())
  const markers = markersOf(uniform)
  // Stated tolerance: within 0.01 of the true 20/40/60/80 % quantiles of U(0, 1) after 20,000.
  for (const k of [1, 2, 3, 4])
    assert.ok(Math.abs(p2Quantile(markers, 0, CELLS, uniform.length, k) - k / 5) < 0.01, `k ${k}`)
  // A σ-like skewed stream: exp(z / 2), z standard normal by Box–Muller. Quantiles of z at
  // 20/40/60/80 %: ∓0.841621, ∓0.253347. Stated tolerance: 2 % relative after 20,000.
  const lognormal = Array.from({ length: 20_000 }, () => Math.exp(random.normal() / 2))
  const lm = markersOf(lognormal)
  const zs = [-0.841621, -0.253347, 0.253347, 0.841621]
  for (const [i, z] of zs.entries()) {
    const estimate = p2Quantile(lm, 0, CELLS, lognormal.length, i + 1)
    const exact = Math.exp(z / 2)
    assert.ok(Math.abs(estimate / exact - 1) < 0.02, `k ${i + 1}: ${estimate} vs ${exact}`)
  }
})
