import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInThisContext } from 'node:vm'
import { z } from 'zod'
import { MODEL_REGISTRY } from './model-registry.ts'

// Guards the key order that model-spec.ts's `stateSchema` asks for. V8 gives objects whose keys
// come in the same order one hidden class; a zod shape holding schemas then makes the live state's
// number fields boxed, and every in-place update allocates (a GC cost that grows with the symbols).
setFlagsFromString('--allow-natives-syntax')
const haveSameMap = runInThisContext('(a, b) => %HaveSameMap(a, b)') as (a: object, b: object) => boolean

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)

/** Every (path, state object, schema shape) pair where a state object is described by a z.object. */
function objectPairs(path: string, state: unknown, schema: unknown): [string, object, object][] {
  if (!isPlainObject(state) || !(schema instanceof z.ZodObject)) return []
  const shape = schema.shape as Record<string, unknown>
  const keys = Object.keys(shape)
  // Only number fields get boxed: an object of arrays and objects (or none, naive's) loses nothing.
  const hasNumbers = keys.some((key) => typeof state[key] === 'number')
  return [
    ...(hasNumbers ? [[path, state, shape] as [string, object, object]] : []),
    ...keys.flatMap((key) => objectPairs(`${path}.${key}`, state[key], shape[key])),
  ]
}

test('the check can fail: a state and a shape with the same keys in the same order share a hidden class', () => {
  const schema = z.object({ median: z.number(), weight: z.number() })
  assert.equal(haveSameMap({ median: 0.5, weight: 1.5 }, schema.shape), true)
  assert.equal(haveSameMap({ weight: 1.5, median: 0.5 }, schema.shape), false)
})

test('no model state object shares a hidden class with the zod shape that describes it', () => {
  let checked = 0
  for (const spec of MODEL_REGISTRY) {
    for (const [path, state, shape] of objectPairs(spec.id, spec.init(), spec.stateSchema)) {
      checked++
      assert.equal(haveSameMap(state, shape), false, `${path}: reorder its schema's keys (see model-spec.ts)`)
    }
  }
  assert.ok(checked >= MODEL_REGISTRY.length, `only ${checked} objects checked`)
})
