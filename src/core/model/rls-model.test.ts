import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRlsModel } from './rls-model.ts'
import { seededRandom } from './seeded-random.ts'

const options = {
  id: 'ar',
  features: ['r1'],
  lambda: 0.999,
  delta: 10,
  scaleDecay: 0.99,
  warmupBars: 20,
  clip: 4,
  hasIntercept: true,
  maxTraceRatio: 1e3,
}

test('abstains while warming up and when an input is null or missing, then predicts', () => {
  const model = createRlsModel(options)
  let state = model.init()
  assert.equal(model.predict(state, { r1: 0.01 }), null)
  for (let t = 0; t < 20; t++) state = model.update(state, { r1: 0.01 * Math.sin(t) }, 0.01 * Math.cos(t))
  assert.equal(typeof model.predict(state, { r1: 0.01 }), 'number')
  assert.equal(model.predict(state, { r1: null }), null)
  assert.equal(model.predict(state, {}), null)
  assert.equal(model.update(state, { r1: null }, 0.01), state, 'a row with a null input teaches nothing')
})

test('learns an AR(1) coefficient from returns at any scale', () => {
  for (const scale of [1e-4, 1]) {
    const random = seededRandom(7)
    const model = createRlsModel(options)
    let state = model.init()
    let previous = 0
    let sqError = 0
    let sqNaive = 0
    for (let t = 0; t < 3000; t++) {
      const next = 0.5 * previous + scale * random.normal()
      const forecast = model.predict(state, { r1: previous })
      if (t >= 1000 && forecast !== null) {
        sqError += (next - forecast) ** 2
        sqNaive += next ** 2
      }
      state = model.update(state, { r1: previous }, next)
      previous = next
    }
    // The best linear forecast removes φ² = 25 % of the variance of an AR(1) with φ = 0.5.
    const ratio = sqError / sqNaive
    assert.ok(ratio > 0.7 && ratio < 0.8, `scale ${scale}: MSE ratio ${ratio}`)
  }
})

test('update is pure and its state survives JSON unchanged', () => {
  const model = createRlsModel({ ...options, features: ['r1', 'rsi'], warmupBars: 2 })
  let state = model.init()
  for (let t = 0; t < 10; t++) state = model.update(state, { r1: 0.01 * Math.sin(t), rsi: 50 + t }, 0.003 * t)
  const before = structuredClone(state)
  const next = model.update(state, { r1: 0.02, rsi: 70 }, -0.01)
  assert.deepEqual(state, before)
  assert.notDeepEqual(next, state)
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state)
  assert.ok(model.stateSchema.safeParse(JSON.parse(JSON.stringify(state))).success)
})
