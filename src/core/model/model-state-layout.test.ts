import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MODEL_REGISTRY } from './model-registry.ts'
import { defineStateLayout, parseStateLayout } from './model-state-layout.ts'

test('every registered model names its state fields in the text its snapshots carry', () => {
  assert.deepEqual(
    MODEL_REGISTRY.map((spec) => spec.layout.text),
    [
      '',
      'rls.theta[4],rls.p[10],rls.updates,rls.resets,moments.weight,moments.count,moments.mean[4],moments.sumSq[4]',
      'rls.theta[2],rls.p[3],rls.updates,rls.resets,moments.weight,moments.count,moments.mean[2],moments.sumSq[2]',
      'median,meanSquare,weight,count',
    ],
  )
  for (const spec of MODEL_REGISTRY) {
    const { text, fields, length } = spec.layout
    assert.deepEqual(parseStateLayout(text), { ok: true, value: { text, fields, length } }, spec.id)
  }
})

test('a defined layout places its fields one after another and names where each starts', () => {
  const layout = defineStateLayout([['a.b', 2], 'c', ['d', 0], 'e'])
  assert.equal(layout.text, 'a.b[2],c,d[0],e')
  assert.equal(layout.length, 4)
  assert.deepEqual(layout.at, { 'a.b': 0, c: 2, d: 3, e: 3 })
  assert.deepEqual(
    layout.fields.map(({ keys, length, at }) => [keys, length, at]),
    [
      [['a', 'b'], 2, 0],
      [['c'], -1, 2],
      [['d'], 0, 3],
      [['e'], -1, 3],
    ],
  )
  assert.deepEqual(defineStateLayout([]), { text: '', fields: [], length: 0, at: {} })
})

test('a layout that names no plain, distinct fields is a broken model: defining it throws', () => {
  for (const fields of [['a', 'a'], ['a-b'], ['a.b', 'a'], [['x', -1]], ['__proto__']] as const) {
    assert.throws(
      () => defineStateLayout(fields),
      /^Error: defineStateLayout: state layout field/,
      JSON.stringify(fields),
    )
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
