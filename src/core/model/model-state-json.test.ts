import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createModelState } from './model-spec.ts'
import { MODEL_REGISTRY } from './model-registry.ts'
import { modelStateFromJson, modelStateToJson } from './model-state-json.ts'
import { defineStateLayout, parseStateLayout } from './model-state-layout.ts'

const layout = defineStateLayout([['w.v', 2], ['w.none', 0], 'n'])

test('a state’s JSON form nests its fields, as arrays and numbers, and reads back to the same numbers', () => {
  const state = Float64Array.of(1.5, -2, 7)
  const json = modelStateToJson(layout, state)
  assert.deepEqual(json, { w: { v: [1.5, -2], none: [] }, n: 7 })
  assert.equal(JSON.stringify(json), '{"w":{"v":[1.5,-2],"none":[]},"n":7}')
  state[0] = 3
  assert.deepEqual(json.w, { v: [1.5, -2], none: [] }, 'the JSON form is a copy')
  assert.deepEqual(modelStateFromJson(layout, json), { ok: true, value: Float64Array.of(1.5, -2, 7) })
  assert.deepEqual(modelStateToJson(layout, Float64Array.of(0, 9, 8, 6, 0), 1), {
    w: { v: [9, 8], none: [] },
    n: 6,
  })
})

test('every registered model’s state survives its JSON form, which its schema accepts', () => {
  for (const spec of MODEL_REGISTRY) {
    const state = createModelState(spec)
    for (let t = 0; t < 30; t++) spec.update(state, [0.01 * Math.sin(t), 0.5, -1], 0.01 * Math.cos(t))
    const json: unknown = JSON.parse(JSON.stringify(modelStateToJson(spec.layout, state)))
    const parsed = spec.stateSchema.safeParse(json)
    assert.ok(parsed.success, spec.id)
    assert.deepEqual(modelStateFromJson(spec.layout, parsed.data), { ok: true, value: state }, spec.id)
  }
})

test('a JSON form of another shape is an error value naming the field', () => {
  const cases: [unknown, string][] = [
    [null, 'a model state is an object'],
    [[1], 'a model state is an object'],
    [{ w: { v: [1, 2], none: [] } }, 'n: expected a number'],
    [{ w: { v: [1], none: [] }, n: 1 }, 'w.v: expected an array of 2 numbers'],
    [{ w: { v: [1, '2'], none: [] }, n: 1 }, 'w.v: expected an array of 2 numbers'],
    [{ w: { v: 1, none: [] }, n: 1 }, 'w.v: expected an array of 2 numbers'],
    [{ w: 3, n: 1 }, 'w.v: expected an array of 2 numbers'],
    [{ w: { v: [1, 2], none: [], x: 1 }, n: 1 }, 'w.x: not a field of the state'],
    [{ w: { v: [1, 2], none: [] }, n: 1, m: { n: 1 } }, 'm: not a field of the state'],
  ]
  for (const [json, error] of cases) {
    assert.deepEqual(modelStateFromJson(layout, json), { ok: false, error }, JSON.stringify(json))
  }
})

test('inherited names are plain keys of the JSON form, never the prototype’s', () => {
  const parsed = parseStateLayout('toString.x,constructor,hasOwnProperty[2]')
  assert.ok(parsed.ok)
  const json = modelStateToJson(parsed.value, Float64Array.of(1, 2, 3, 4))
  assert.deepEqual(json, { toString: { x: 1 }, constructor: 2, hasOwnProperty: [3, 4] })
  assert.equal(Object.hasOwn(Reflect.get(Object.prototype, 'toString') as object, 'x'), false)
  assert.deepEqual(modelStateFromJson(parsed.value, {}), {
    ok: false,
    error: 'toString.x: expected a number',
  })
})
