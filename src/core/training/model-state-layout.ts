import { err, ok, type Result } from '../contracts/result.ts'

/** One number or run of numbers of a model state: its key path, and its length (-1 for a number). */
interface StateField {
  readonly keys: readonly string[]
  readonly length: number
}

/**
 * Where the numbers of a model state sit among a snapshot's float64s, in the order of its keys,
 * and the text that names them (`rls.theta[4],rls.p[10],rls.updates,…`). The binary snapshot
 * carries that text, so a reader rebuilds the state's plain form without the model's spec.
 */
export interface ModelStateLayout {
  readonly text: string
  readonly fields: readonly StateField[]
  /** Float64s the state takes. */
  readonly count: number
}

const KEY = /^[A-Za-z_$][\w$]*$/
const FIELD = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\[(\d{1,6})\])?$/

const isArrayOrFloats = (value: unknown): value is ArrayLike<unknown> =>
  Array.isArray(value) || value instanceof Float64Array

const isNumbers = (value: unknown): value is ArrayLike<number> =>
  value instanceof Float64Array || (Array.isArray(value) && value.every((item) => typeof item === 'number'))

const sizeOf = (field: StateField): number => (field.length < 0 ? 1 : field.length)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)

function layoutOf(fields: readonly StateField[]): ModelStateLayout {
  const text = fields.map(({ keys, length }) => keys.join('.') + (length < 0 ? '' : `[${length}]`)).join(',')
  return { text, fields, count: fields.reduce((sum, field) => sum + sizeOf(field), 0) }
}

/**
 * The layout of a state: nested objects whose leaves are numbers or arrays of numbers, as every
 * model's `stateSchema` describes. Throws on anything else (the model breaks its own contract).
 */
export function stateLayoutOf(state: unknown): ModelStateLayout {
  const fields: StateField[] = []
  const visit = (value: Record<string, unknown>, keys: readonly string[]): void => {
    for (const [key, item] of Object.entries(value)) {
      const path = [...keys, key]
      if (!KEY.test(key) || key === '__proto__') throw new Error(`model state key ${path.join('.')}`)
      if (typeof item === 'number') fields.push({ keys: path, length: -1 })
      else if (isNumbers(item)) fields.push({ keys: path, length: item.length })
      else if (isRecord(item) && Object.keys(item).length > 0) visit(item, path)
      else throw new Error(`model state field ${path.join('.')} is neither numbers nor an object of them`)
    }
  }
  if (!isRecord(state)) throw new Error('a model state is an object')
  visit(state, [])
  return layoutOf(fields)
}

function leafOf(state: unknown, keys: readonly string[]): unknown {
  let value = state
  for (const key of keys) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/** Whether `state` has exactly the fields of `layout` (the same keys may still hold more). */
export function fitsStateLayout(layout: ModelStateLayout, state: unknown): boolean {
  for (const { keys, length } of layout.fields) {
    const leaf = leafOf(state, keys)
    if (length < 0 ? typeof leaf !== 'number' : !isArrayOrFloats(leaf) || leaf.length !== length) return false
  }
  return true
}

/** Writes the numbers of a state that fits `layout` at `f[at]`; returns the index after them. */
export function writeStateNumbers(
  layout: ModelStateLayout,
  state: unknown,
  f: Float64Array,
  at: number,
): number {
  let k = at
  for (const { keys, length } of layout.fields) {
    const leaf = leafOf(state, keys)
    if (length < 0) f[k++] = leaf as number
    else {
      // A loop: `set` costs more than a few numbers.
      const values = leaf as ArrayLike<number>
      for (let i = 0; i < length; i++) f[k++] = values[i]!
    }
  }
  return k
}

/** The layout that `text` names; an error value saying what is wrong with it. */
export function parseStateLayout(text: string): Result<ModelStateLayout> {
  if (text === '') return ok(layoutOf([]))
  const fields: StateField[] = []
  const leaves = new Set<string>()
  const objects = new Set<string>()
  for (const part of text.split(',')) {
    const match = FIELD.exec(part)
    if (match === null) return err(`state layout field ${JSON.stringify(part.slice(0, 80))} is malformed`)
    const [, path = '', length] = match
    const keys = path.split('.')
    const prefixes = keys.slice(0, -1).map((_, end) => keys.slice(0, end + 1).join('.'))
    if (keys.includes('__proto__')) return err(`state layout field ${path} is not a plain key`)
    if (leaves.has(path) || objects.has(path) || prefixes.some((prefix) => leaves.has(prefix)))
      return err(`state layout field ${path} clashes with another`)
    leaves.add(path)
    for (const prefix of prefixes) objects.add(prefix)
    fields.push({ keys, length: length === undefined ? -1 : Number(length) })
  }
  return ok(layoutOf(fields))
}

/** `f[at]` to `f[at + length - 1]` as an array (a loop: `Array.from` of a subarray costs more). */
export function numbersAt(f: Float64Array, at: number, length: number): number[] {
  const values: number[] = []
  for (let i = 0; i < length; i++) values.push(f[at + i]!)
  return values
}

/** The plain state (numbers and arrays of numbers) that `layout` places at `f[at]`. */
export function readStateNumbers(
  layout: ModelStateLayout,
  f: Float64Array,
  at: number,
): Record<string, unknown> {
  const state: Record<string, unknown> = {}
  let k = at
  for (const { keys, length } of layout.fields) {
    let parent = state
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i]!
      // Own keys only: `toString.x` must not reach Object.prototype.toString.
      parent = (Object.hasOwn(parent, key) ? parent[key] : (parent[key] = {})) as Record<string, unknown>
    }
    parent[keys.at(-1)!] = length < 0 ? f[k] : numbersAt(f, k, length)
    k += length < 0 ? 1 : length
  }
  return state
}
