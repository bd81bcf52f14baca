import assert from 'node:assert/strict'
import { test } from 'node:test'
import { halfWidth80, halfWidth95, initialConformalBand, updateConformalBand } from './conformal-band.ts'
import { EWMA_VOLATILITY, ewmaSigma, initialEwmaVolatility, updateEwmaVolatility } from './ewma-volatility.ts'

const params = { quantileStep: 0.1, aciStep: 0.01, minQ: 0.05, maxQ: 50 }

test('a miss widens the band and lowers the working miss rate; a hit does the opposite, gently', () => {
  // s = 1.5 misses the 80 % band (q = 1.2816) and hits the 95 % band (q = 1.96).
  const band = initialConformalBand()
  updateConformalBand(band, 1.5, params)
  const [q80 = 0, alpha80 = 0, q95 = 0, alpha95 = 0] = band
  assert.ok(Math.abs(q80 - 1.2815515655446004 * Math.exp(0.1 * (1 - 0.2))) < 1e-12)
  assert.ok(Math.abs(alpha80 - (0.2 + 0.01 * (0.2 - 1))) < 1e-12)
  assert.ok(Math.abs(q95 - 1.959963984540054 * Math.exp(-0.1 * 0.05)) < 1e-12)
  assert.ok(Math.abs(alpha95 - (0.05 + 0.01 * 0.05)) < 1e-12)
  assert.deepEqual(Array.from(initialConformalBand()), [
    1.2815515655446004,
    1 - 0.8,
    1.959963984540054,
    1 - 0.95,
  ])
})

test('the quantile stays within its bounds and α within [0, 1]', () => {
  const band = initialConformalBand()
  for (let t = 0; t < 500; t++) updateConformalBand(band, 1e6, params)
  assert.equal(band[2], 50)
  assert.equal(band[3], 0)
  for (let t = 0; t < 5000; t++) updateConformalBand(band, 0, params)
  assert.equal(band[0], 0.05)
})

test('half-widths are q·σ, and the 95 % one never inside the 80 % one', () => {
  const band = initialConformalBand()
  assert.equal(halfWidth80(band, 0.01), 0.012815515655446004)
  assert.equal(halfWidth95(band, 0.01), 0.01959963984540054)
  const inverted = Float64Array.of(2, 0.2, 1.5, 0.05)
  assert.equal(halfWidth80(inverted, 0.01), 0.02)
  assert.equal(halfWidth95(inverted, 0.01), 0.02)
})

test('EWMA volatility is the bias-corrected weighted mean square, exact from the first return', () => {
  const state = initialEwmaVolatility()
  for (const r of [0.01, -0.02, 0.005]) updateEwmaVolatility(state, r, 0.9)
  const expected = (0.81 * 1e-4 + 0.9 * 4e-4 + 0.25e-4) / (0.81 + 0.9 + 1)
  assert.ok(Math.abs(state[EWMA_VOLATILITY.variance]! - expected) < 1e-18)
  assert.equal(state[EWMA_VOLATILITY.count], 3)
  assert.equal(ewmaSigma(initialEwmaVolatility(), 1e-8), 1e-8)
})
