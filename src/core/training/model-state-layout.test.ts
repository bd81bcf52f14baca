import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MODEL_REGISTRY } from '../model/model-registry.ts'
import {
  fitsStateLayout,
  parseStateLayout,
  readStateNumbers,
  stateLayoutOf,
  writeStateNumbers,
} from './model-state-layout.ts'

test('every registered model state has a layout that its text names and that reads it back', () => {
  const texts = MODEL_REGISTRY.map((spec) => {
    const state = spec.init()
    const layout = stateLayoutOf(state)
    assert.deepEqual(parseStateLayout(layout.text), { ok: true, value: layout })
    assert.ok(fitsStateLayout(layout, state))
    const f = new Float64Array(layout.count + 2)
    assert.equal(writeStateNumbers(layout, state, f, 1), layout.count + 1)
    assert.deepEqual(readStateNumbers(layout, f, 1), state)
    return layout.text
  })
  assert.deepEqual(texts, [
    '',
    'rls.theta[4],rls.p[10],rls.updates,rls.resets,moments.weight,moments.count,moments.mean[4],moments.sumSq[4]',
    'rls.theta[2],rls.p[3],rls.updates,rls.resets,moments.weight,moments.count,moments.mean[2],moments.sumSq[2]',
    'median,meanSquare,weight,count',
  ])
})

test('a state of another shape does not fit the layout', () => {
  const layout = stateLayoutOf({ a: { b: [1, 2] }, c: 3 })
  assert.equal(layout.text, 'a.b[2],c')
  for (const state of [{ a: { b: [1] }, c: 3 }, { a: { b: 1 }, c: 3 }, { a: 1, c: 3 }, { c: 3 }]) {
    assert.equal(fitsStateLayout(layout, state), false, JSON.stringify(state))
  }
  assert.ok(fitsStateLayout(layout, { a: { b: Float64Array.of(1, 2) }, c: 3 }))
})

test('a state that is not numbers in objects has no layout', () => {
  for (const state of [1, [1], { a: 'x' }, { a: null }, { a: {} }, { a: [1, 'x'] }, { 'a-b': 1 }]) {
    assert.throws(() => stateLayoutOf(state), JSON.stringify(state))
  }
})

test('a layout text that names no plain fields is an error value', () => {
  const cases: [string, string][] = [
    ['a,', 'state layout field "" is malformed'],
    ['a[-1]', 'state layout field "a[-1]" is malformed'],
    ['a.b,a.b[2]', 'state layout field a.b clashes with another'],
    ['a.b,a', 'state layout field a clashes with another'],
    ['a,a.b', 'state layout field a.b clashes with another'],
    ['__proto__.x', 'state layout field __proto__.x is not a plain key'],
  ]
  for (const [text, error] of cases) assert.deepEqual(parseStateLayout(text), { ok: false, error }, text)
})

test('inherited names are plain keys of the state read back, never the prototype’s', () => {
  const layout = parseStateLayout('toString.x,constructor,hasOwnProperty[2]')
  assert.ok(layout.ok)
  const state = readStateNumbers(layout.value, Float64Array.of(1, 2, 3, 4), 0)
  assert.deepEqual(state, { toString: { x: 1 }, constructor: 2, hasOwnProperty: [3, 4] })
  assert.equal(Object.hasOwn(Reflect.get(Object.prototype, 'toString') as object, 'x'), false)
})
