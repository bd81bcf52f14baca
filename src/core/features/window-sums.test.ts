import assert from 'node:assert/strict'
import { test } from 'node:test'
import { slideWindowSums, windowScaledDeviation, windowSum, windowSumOfSquares } from './window-sums.ts'

/** mulberry32: a seeded generator, so the stream is the same on every run. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SCALE = 2 ** 20

test('n·Σx² − (Σx)² stays exact to 1e-12 over 200,000 slides of a window whose spread is 1e-9 of its level', () => {
  // Values are multiples of 2^-20 near 1e6 with a spread of about 1e-3, so that BigInt gives the exact
  // answer. Variance / mean² ≈ 1e-18: a plain running Σx² in doubles loses every digit here.
  const next = random(7)
  const n = 20
  const window: number[] = new Array<number>(n).fill(0)
  const sums = new Float64Array(4)
  let naiveSum = 0
  let naiveSquares = 0
  let worst = 0
  let worstNaive = 0
  for (let i = 0; i < 200_000; i++) {
    const level = 1e6 + Math.floor(i / 1000) // the level drifts, so the sums keep changing scale
    const x = Math.round((level + (next() - 0.5) * 4e-3) * SCALE) / SCALE
    const out = window[i % n] ?? 0
    slideWindowSums(sums, 0, x, out)
    naiveSum += x - out
    naiveSquares += x * x - out * out
    window[i % n] = x
    if (i < n - 1 || i % 97 !== 0) continue
    const scaled = window.map((v) => BigInt(v * SCALE))
    const total = scaled.reduce((a, v) => a + v, 0n)
    const exact = Number(BigInt(n) * scaled.reduce((a, v) => a + v * v, 0n) - total * total) / SCALE ** 2
    worst = Math.max(worst, Math.abs(windowScaledDeviation(sums, 0, n) - exact) / exact)
    worstNaive = Math.max(worstNaive, Math.abs(n * naiveSquares - naiveSum * naiveSum - exact) / exact)
    assert.equal(windowSum(sums, 0), Number(total) / SCALE)
  }
  assert.ok(worst < 1e-12, `double-double relative error ${worst}`)
  assert.ok(
    worstNaive > 1e-3,
    `the naive running sums should fail here (${worstNaive}), or this test proves nothing`,
  )
})

test('a window filled from zeros: sums of 1..5 and their squares are exact', () => {
  const sums = new Float64Array(8)
  for (const x of [1, 2, 3, 4, 5]) slideWindowSums(sums, 4, x, 0)
  assert.deepEqual([...sums.subarray(0, 4)], [0, 0, 0, 0])
  assert.equal(windowSum(sums, 4), 15)
  assert.equal(windowSumOfSquares(sums, 4), 55)
  assert.equal(windowScaledDeviation(sums, 4, 5), 5 * 55 - 15 * 15)
  slideWindowSums(sums, 4, 6, 1)
  assert.equal(windowSum(sums, 4), 20)
  assert.equal(windowSumOfSquares(sums, 4), 90)
})

test('equal values have no spread, exactly', () => {
  const sums = new Float64Array(4)
  for (let i = 0; i < 20; i++) slideWindowSums(sums, 0, 0.1, 0)
  for (let i = 0; i < 1000; i++) slideWindowSums(sums, 0, 0.1, 0.1)
  assert.equal(windowScaledDeviation(sums, 0, 20), 0)
})
