import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import {
  garchVariance,
  harVariance,
  qlike,
  rangeVarianceOf,
  rangeVariance,
  type VarianceSpec,
} from './variance-models.ts'

/** Returns of a GARCH(1,1) with α = 0.08, β = 0.9 and long-run σ 1 %: volatility that clusters. */
function garchReturns(seed: number, length: number): number[] {
  const random = seededRandom(seed)
  const vbar = 1e-4
  let h = vbar
  const returns: number[] = []
  for (let t = 0; t < length; t++) {
    const r = Math.sqrt(h) * random.normal()
    returns.push(r)
    h = 0.02 * vbar + 0.08 * r * r + 0.9 * h
  }
  return returns
}

/** Mean QLIKE of a spec's one-step forecasts, predict then learn, after its warm-up. */
function meanQlike(spec: VarianceSpec, returns: readonly number[]): number {
  const s = new Float64Array(spec.size)
  spec.init(s)
  let sum = 0
  let n = 0
  for (const r of returns) {
    const h = spec.forecast(s, 1)
    if (!Number.isNaN(h)) {
      sum += qlike(h, r)
      n += 1
    }
    spec.update(s, r, Number.NaN)
  }
  return sum / n
}

/** The same for the EWMA (decay 0.85) the trainer uses as its baseline. */
function ewmaQlike(returns: readonly number[]): number {
  let variance = 0
  let weight = 0
  let sum = 0
  let n = 0
  returns.forEach((r, t) => {
    if (t >= 20) {
      sum += qlike(variance, r)
      n += 1
    }
    weight = 0.85 * weight + 1
    variance += (r * r - variance) / weight
  })
  return sum / n
}

test('GARCH and HAR forecast clustered volatility better than the EWMA by QLIKE', () => {
  for (const seed of [1, 2, 3]) {
    const returns = garchReturns(seed, 4000)
    const ewma = ewmaQlike(returns)
    assert.ok(meanQlike(garchVariance, returns) < ewma - 0.02, `seed ${seed}: garch`)
    assert.ok(meanQlike(harVariance, returns) < ewma, `seed ${seed}: har`)
  }
})

test('the GARCH term structure reverts to the long-run variance', () => {
  const s = new Float64Array(garchVariance.size)
  garchVariance.init(s)
  const returns = garchReturns(4, 2000)
  for (const r of returns) garchVariance.update(s, r, Number.NaN)
  // A shock: the next variance far above the long-run one, the 20-bar one nearer 20 × long-run.
  garchVariance.update(s, 0.08, Number.NaN)
  const one = garchVariance.forecast(s, 1)
  const twenty = garchVariance.forecast(s, 20)
  const vbar = (s[1] ?? 0) / (s[0] ?? 1)
  assert.ok(one > 3 * vbar)
  assert.ok(twenty < 20 * one && twenty > 20 * vbar)
})

test('the range variance is Garman–Klass plus the overnight jump, and absent without a range', () => {
  const value = rangeVarianceOf(100, 101, 103, 99, 102)
  const expected =
    Math.log(1.01) ** 2 + 0.5 * Math.log(103 / 99) ** 2 - (2 * Math.LN2 - 1) * Math.log(102 / 101) ** 2
  assert.ok(Math.abs(value - expected) < 1e-15)
  assert.ok(Number.isNaN(rangeVarianceOf(100, undefined, 103, 99, 102)))
  const s = new Float64Array(rangeVariance.size)
  rangeVariance.init(s)
  for (let t = 0; t < 50; t++) rangeVariance.update(s, 0.01, Number.NaN)
  assert.ok(Number.isNaN(rangeVariance.forecast(s, 1)))
  for (let t = 0; t < 50; t++) rangeVariance.update(s, t % 2 === 0 ? 0.01 : -0.01, 4e-5)
  // Scaled to close-to-close: Σr²/Σrange = 1e-4 / 4e-5.
  assert.ok(Math.abs(rangeVariance.forecast(s, 1) / 1e-4 - 1) < 1e-9)
  assert.ok(Math.abs(rangeVariance.forecast(s, 5) / 5e-4 - 1) < 1e-9)
})

test('the range model is the HAR run on the range variance: fed r² itself, it forecasts what the HAR does', () => {
  const returns = garchReturns(5, 1500)
  const har = new Float64Array(harVariance.size)
  const range = new Float64Array(rangeVariance.size)
  harVariance.init(har)
  rangeVariance.init(range)
  // The first bars carry no range: the range model abstains on them and its count starts later.
  for (const r of returns.slice(0, 30)) rangeVariance.update(range, r, Number.NaN)
  for (const r of returns.slice(30)) {
    for (const horizon of [1, 5, 20])
      assert.equal(rangeVariance.forecast(range, horizon), harVariance.forecast(har, horizon))
    harVariance.update(har, r, Number.NaN)
    rangeVariance.update(range, r, r * r)
  }
  // Fed a range that is a quarter of r², Σr²/Σrange scales it back: the same forecasts to rounding.
  const quarter = new Float64Array(rangeVariance.size)
  rangeVariance.init(quarter)
  for (const r of returns.slice(30)) rangeVariance.update(quarter, r, (r * r) / 4)
  for (const horizon of [1, 5, 20]) {
    const ratio = rangeVariance.forecast(quarter, horizon) / harVariance.forecast(har, horizon)
    assert.ok(Math.abs(ratio - 1) < 1e-9, `${horizon} bars: ${ratio}`)
  }
})
