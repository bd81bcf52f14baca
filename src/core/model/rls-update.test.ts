import assert from 'node:assert/strict'
import { test } from 'node:test'
import { initRls, packedLength, rlsPredict, rlsUpdate, type RlsIndex } from './rls-update.ts'

/** An RLS of dimension `d` in a state of its own: θ, P, updates, resets. */
interface Rls {
  readonly s: Float64Array
  readonly r: RlsIndex
}

function initialRls(d: number, delta: number): Rls {
  const r = { dimension: d, theta: 0, p: d, updates: d + packedLength(d), resets: d + packedLength(d) + 1 }
  const s = new Float64Array(r.resets + 1).fill(Number.NaN)
  initRls(s, r, delta)
  return { s, r }
}

const thetaOf = ({ s, r }: Rls): number[] => Array.from(s.subarray(r.theta, r.theta + r.dimension))
const pOf = ({ s, r }: Rls): number[] => Array.from(s.subarray(r.p, r.p + packedLength(r.dimension)))
const resetsOf = ({ s, r }: Rls): number => s[r.resets]!

/** Solves A θ = b by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let c = 0; c < n; c++) {
    let pivot = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r
    ;[m[c], m[pivot]] = [m[pivot]!, m[c]!]
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!
    x[r] = s / m[r]![r]!
  }
  return x
}

/** argmin Σ w_i (y_i − θᵀx_i)² + ridge ‖θ‖², the closed form RLS must reproduce. */
function weightedRidge(xs: number[][], ys: number[], weights: number[], ridge: number): number[] {
  const d = xs[0]!.length
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? ridge : 0)))
  const b = new Array<number>(d).fill(0)
  xs.forEach((x, t) => {
    for (let i = 0; i < d; i++) {
      b[i]! += weights[t]! * x[i]! * ys[t]!
      for (let j = 0; j < d; j++) a[i]![j]! += weights[t]! * x[i]! * x[j]!
    }
  })
  return solve(a, b)
}

// A fixed dataset: y = 0.5 + 2 x1 − x2 + small deterministic noise.
const xs = Array.from({ length: 40 }, (_, t) => [1, Math.sin(t * 0.7) * 3, Math.cos(t * 1.3) + t / 40])
const ys = xs.map((x, t) => 0.5 + 2 * x[1]! - x[2]! + 0.01 * Math.sin(t * 5.1))

const run = (lambda: number, delta: number): Rls => {
  const rls = initialRls(3, delta)
  const px = new Float64Array(3)
  xs.forEach((x, t) => rlsUpdate(rls.s, rls.r, x, ys[t]!, { lambda, delta, maxTraceRatio: 1e12 }, px))
  return rls
}

test('with λ = 1 and a tiny ridge, RLS equals ordinary least squares in closed form', () => {
  const ols = weightedRidge(
    xs,
    ys,
    xs.map(() => 1),
    0,
  )
  const rls = run(1, 1e-8)
  thetaOf(rls).forEach((t, i) => assert.ok(Math.abs(t - ols[i]!) < 1e-6, `θ${i} ${t} vs ${ols[i]}`))
  assert.ok(Math.abs(ols[1]! - 2) < 0.01)
})

test('with λ < 1, RLS equals least squares weighted by λ^(t−i) with ridge λ^t δ', () => {
  const lambda = 0.9
  const delta = 0.5
  const n = xs.length
  const expected = weightedRidge(
    xs,
    ys,
    xs.map((_, t) => lambda ** (n - 1 - t)),
    lambda ** n * delta,
  )
  const rls = run(lambda, delta)
  thetaOf(rls).forEach((t, i) => assert.ok(Math.abs(t - expected[i]!) < 1e-9, `θ${i} ${t} vs ${expected[i]}`))
})

test('forgetting tracks a change of coefficient; λ = 1 averages the two regimes', () => {
  const step = (lambda: number): number => {
    const rls = initialRls(1, 1e-3)
    const px = new Float64Array(1)
    for (let t = 0; t < 400; t++) {
      const x = Math.sin(t * 0.37) + 1.5
      rlsUpdate(rls.s, rls.r, [x], (t < 200 ? 1 : 3) * x, { lambda, delta: 1e-3, maxTraceRatio: 1e12 }, px)
    }
    return thetaOf(rls)[0]!
  }
  // 200 bars after the change the old regime weighs 0.95^200 ≈ 4e-5 of the new one.
  const tracked = step(0.95)
  assert.ok(Math.abs(tracked - 3) < 1e-3 && Math.abs(tracked - 3) > 1e-7, `λ = 0.95 gives ${tracked}`)
  const averaged = step(1)
  assert.ok(averaged > 1.5 && averaged < 2.5, `λ = 1 gives ${averaged}`)
})

test('P stays symmetric (packed), positive, and resets to P0 when it winds up', () => {
  const rls = initialRls(2, 1)
  const params = { lambda: 0.5, delta: 1, maxTraceRatio: 100 }
  const px = new Float64Array(2)
  // Only the first input is excited, so P's second diagonal grows as λ^-t until the reset.
  for (let t = 0; t < 7; t++) rlsUpdate(rls.s, rls.r, [1, 0], 2, params, px)
  assert.equal(pOf(rls)[2], 128)
  assert.equal(resetsOf(rls), 0)
  rlsUpdate(rls.s, rls.r, [1, 0], 2, params, px)
  assert.equal(resetsOf(rls), 1)
  assert.deepEqual(pOf(rls), [1, 0, 1])
  assert.ok(Math.abs(thetaOf(rls)[0]! - 2) < 0.05, 'θ is kept through a reset')
})

test('a non-finite input resets P and keeps a finite θ', () => {
  const rls = initialRls(1, 1)
  rlsUpdate(
    rls.s,
    rls.r,
    [Number.POSITIVE_INFINITY],
    1,
    { lambda: 1, delta: 1, maxTraceRatio: 1e3 },
    new Float64Array(1),
  )
  assert.equal(resetsOf(rls), 1)
  assert.deepEqual(pOf(rls), [1])
  assert.ok(thetaOf(rls).every(Number.isFinite))
})

test('rlsUpdate changes only its RLS in place, and a copy of the state shares nothing with it', () => {
  const rls = initialRls(2, 1)
  const copy = rls.s.slice()
  const x = [1, 2]
  rlsUpdate(rls.s, rls.r, x, 3, { lambda: 0.99, delta: 1, maxTraceRatio: 1e3 }, new Float64Array(2))
  assert.deepEqual(x, [1, 2])
  assert.equal(rls.s[rls.r.updates], 1)
  assert.ok(rlsPredict(rls.s, rls.r, x) > 0)
  assert.deepEqual(copy, initialRls(2, 1).s)
  assert.equal(rlsPredict(copy, rls.r, x), 0)
})

test('an RLS starts at θ = 0 and P = I/δ, and touches no number outside its own', () => {
  const r = { dimension: 2, theta: 1, p: 3, updates: 6, resets: 7 }
  const s = new Float64Array(9).fill(5)
  initRls(s, r, 4)
  assert.deepEqual(Array.from(s), [5, 0, 0, 0.25, 0, 0.25, 0, 0, 5])
  rlsUpdate(s, r, [1, 1], 1, { lambda: 1, delta: 4, maxTraceRatio: 1e3 }, new Float64Array(2))
  assert.deepEqual([s[0], s[8]], [5, 5])
})
