import { err, ok, type Result } from '../contracts/result.ts'
import type { ModelStateLayout } from './model-state-layout.ts'

/** A model state as a snapshot's JSON holds it: the layout's fields as nested objects, runs as arrays. */
export interface ModelStateJson {
  readonly [key: string]: number | readonly number[] | ModelStateJson
}

interface MutableJson {
  [key: string]: number | number[] | MutableJson
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `numbers[at]` to `numbers[at + length - 1]` as an array (a loop: `Array.from` of a subarray costs more). */
function numbersAt(numbers: Float64Array, at: number, length: number): number[] {
  const values: number[] = []
  for (let i = 0; i < length; i++) values.push(numbers[at + i]!)
  return values
}

/**
 * The JSON form of the state that `layout` places at `numbers[at]`: a copy, which later changes to
 * the numbers leave alone.
 */
export function modelStateToJson(layout: ModelStateLayout, numbers: Float64Array, at = 0): ModelStateJson {
  const json: MutableJson = {}
  for (const { keys, length, at: fieldAt } of layout.fields) {
    let parent = json
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i]!
      // Own keys only: a field `toString.x` must not reach Object.prototype.toString.
      parent = (Object.hasOwn(parent, key) ? parent[key] : (parent[key] = {})) as MutableJson
    }
    parent[keys.at(-1)!] = length < 0 ? numbers[at + fieldAt]! : numbersAt(numbers, at + fieldAt, length)
  }
  return json
}

const ownValue = (value: unknown, key: string): unknown =>
  isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined

/** The first key path of `json` that is neither a field of `layout` nor an object on the way to one. */
function firstForeignPath(layout: ModelStateLayout, json: Record<string, unknown>): string | undefined {
  const leaves = new Set(layout.fields.map(({ keys }) => keys.join('.')))
  const objects = new Set(
    layout.fields.flatMap(({ keys }) => keys.slice(0, -1).map((_, end) => keys.slice(0, end + 1).join('.'))),
  )
  const visit = (value: Record<string, unknown>, prefix: string): string | undefined => {
    for (const [key, item] of Object.entries(value)) {
      const path = prefix + key
      if (leaves.has(path)) continue
      if (!objects.has(path) || !isRecord(item)) return path
      const foreign = visit(item, `${path}.`)
      if (foreign !== undefined) return foreign
    }
    return undefined
  }
  return visit(json, '')
}

/**
 * The state of a JSON form: exactly the fields of `layout`, each a number or an array of numbers of
 * its length. An error value names the first field that is missing, of another shape, or not one
 * of the layout's.
 */
export function modelStateFromJson(layout: ModelStateLayout, json: unknown): Result<Float64Array> {
  if (!isRecord(json)) return err('a model state is an object')
  const state = new Float64Array(layout.length)
  for (const { keys, length, at } of layout.fields) {
    const leaf = keys.reduce<unknown>(ownValue, json)
    const path = keys.join('.')
    if (length < 0) {
      if (typeof leaf !== 'number') return err(`${path}: expected a number`)
      state[at] = leaf
    } else {
      if (!Array.isArray(leaf) || leaf.length !== length || !leaf.every((item) => typeof item === 'number'))
        return err(`${path}: expected an array of ${length} numbers`)
      state.set(leaf, at)
    }
  }
  const foreign = firstForeignPath(layout, json)
  return foreign === undefined ? ok(state) : err(`${foreign}: not a field of the state`)
}
