import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dieboldMariano } from './diebold-mariano.ts'

test('equals d̄ / √(γ̂₀/n) on a literal differential series', () => {
  // d = −0.01, 0.01, 0.02, 0, 0.01: d̄ = 0.006, γ̂₀ = 1.4e-4 − 3.6e-5 = 1.04e-4.
  const d = [-0.01, 0.01, 0.02, 0, 0.01]
  const dm = dieboldMariano(
    d.length,
    d.reduce((a, b) => a + b, 0),
    d.reduce((a, b) => a + b * b, 0),
  )
  assert.ok(dm !== null && Math.abs(dm - 1.315587) < 1e-5, `dm ${dm}`)
})

test('is negative when the model loses less, and null when undefined', () => {
  const d = [-2, -1, -3, 0]
  const dm = dieboldMariano(4, -6, 14)
  assert.ok(dm !== null && Math.abs(dm - -1.5 / Math.sqrt(1.25 / 4)) < 1e-12, `dm ${dm}; d = ${d.join()}`)
  assert.equal(dieboldMariano(1, 1, 1), null)
  assert.equal(dieboldMariano(3, 0, 0), null, 'a model identical to naive has no statistic')
})
