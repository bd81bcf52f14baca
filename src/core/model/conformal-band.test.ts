import assert from 'node:assert/strict'
import { test } from 'node:test'
import { bandHalfWidths, initialConformalBand, updateConformalBand } from './conformal-band.ts'
import { ewmaSigma, initialEwmaVolatility, updateEwmaVolatility } from './ewma-volatility.ts'

const params = { quantileStep: 0.1, aciStep: 0.01, minQ: 0.05, maxQ: 50 }

test('a miss widens the band and lowers the working miss rate; a hit does the opposite, gently', () => {
  // s = 1.5 misses the 80 % band (q = 1.2816) and hits the 95 % band (q = 1.96).
  const band = updateConformalBand(initialConformalBand, 1.5, params)
  assert.ok(Math.abs(band.p80.q - 1.2815515655446004 * Math.exp(0.1 * (1 - 0.2))) < 1e-12)
  assert.ok(Math.abs(band.p80.alpha - (0.2 + 0.01 * (0.2 - 1))) < 1e-12)
  assert.ok(Math.abs(band.p95.q - 1.959963984540054 * Math.exp(-0.1 * 0.05)) < 1e-12)
  assert.ok(Math.abs(band.p95.alpha - (0.05 + 0.01 * 0.05)) < 1e-12)
})

test('the quantile stays within its bounds and α within [0, 1]', () => {
  let band = initialConformalBand
  for (let t = 0; t < 500; t++) band = updateConformalBand(band, 1e6, params)
  assert.equal(band.p95.q, 50)
  assert.equal(band.p95.alpha, 0)
  for (let t = 0; t < 5000; t++) band = updateConformalBand(band, 0, params)
  assert.equal(band.p80.q, 0.05)
})

test('half-widths are q·σ, and the 95 % one never inside the 80 % one', () => {
  assert.deepEqual(bandHalfWidths(initialConformalBand, 0.01), {
    half80: 0.012815515655446004,
    half95: 0.01959963984540054,
  })
  const inverted = { p80: { q: 2, alpha: 0.2 }, p95: { q: 1.5, alpha: 0.05 } }
  assert.deepEqual(bandHalfWidths(inverted, 0.01), { half80: 0.02, half95: 0.02 })
})

test('EWMA volatility is the bias-corrected weighted mean square, exact from the first return', () => {
  const returns = [0.01, -0.02, 0.005]
  const state = returns.reduce((s, r) => updateEwmaVolatility(s, r, 0.9), initialEwmaVolatility)
  const expected = (0.81 * 1e-4 + 0.9 * 4e-4 + 0.25e-4) / (0.81 + 0.9 + 1)
  assert.ok(Math.abs(state.variance - expected) < 1e-18)
  assert.equal(state.count, 3)
  assert.equal(ewmaSigma(initialEwmaVolatility, 1e-8), 1e-8)
})
