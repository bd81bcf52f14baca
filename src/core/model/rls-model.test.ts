import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createModelState } from './model-spec.ts'
import { modelStateFromJson, modelStateToJson } from './model-state-json.ts'
import { createRlsModel, type RlsModelOptions } from './rls-model.ts'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'

const options: RlsModelOptions = {
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

test('abstains (NaN) while warming up, then predicts', () => {
  const model = createRlsModel(options)
  const state = createModelState(model)
  assert.ok(Number.isNaN(model.predict(state, [0.01])))
  for (let t = 0; t < 19; t++) model.update(state, [0.01 * Math.sin(t)], 0.01 * Math.cos(t))
  assert.ok(Number.isNaN(model.predict(state, [0.01])))
  model.update(state, [0.01 * Math.sin(19)], 0.01 * Math.cos(19))
  assert.ok(Number.isFinite(model.predict(state, [0.01])))
  const before = state.slice()
  model.update(state, [0.01], Number.NaN)
  assert.deepEqual(state, before, 'a non-finite target teaches nothing')
})

test('learns an AR(1) coefficient from returns at any scale', () => {
  for (const scale of [1e-4, 1]) {
    const random = seededRandom(7)
    const model = createRlsModel(options)
    const state = createModelState(model)
    let previous = 0
    let sqError = 0
    let sqNaive = 0
    for (let t = 0; t < 3000; t++) {
      const next = 0.5 * previous + scale * random.normal()
      const forecast = model.predict(state, [previous])
      if (t >= 1000 && !Number.isNaN(forecast)) {
        sqError += (next - forecast) ** 2
        sqNaive += next ** 2
      }
      model.update(state, [previous], next)
      previous = next
    }
    // The best linear forecast removes φ² = 25 % of the variance of an AR(1) with φ = 0.5.
    const ratio = sqError / sqNaive
    assert.ok(ratio > 0.7 && ratio < 0.8, `scale ${scale}: MSE ratio ${ratio}`)
  }
})

test('update changes the state in place, a copy shares nothing, and the state survives its JSON form unchanged', () => {
  const model = createRlsModel({ ...options, features: ['r1', 'rsi14'], warmupBars: 2 })
  const state = createModelState(model)
  for (let t = 0; t < 10; t++) model.update(state, [0.01 * Math.sin(t), 50 + t], 0.003 * t)
  const before = state.slice()
  const snapshot = structuredClone(state)
  model.update(state, [0.02, 70], -0.01)
  assert.deepEqual(before, snapshot)
  assert.notDeepEqual(state, before)
  const json: unknown = JSON.parse(JSON.stringify(modelStateToJson(model.layout, state)))
  const parsed = model.stateSchema.safeParse(json)
  assert.ok(parsed.success)
  assert.deepEqual(modelStateFromJson(model.layout, parsed.data), { ok: true, value: state })
})
