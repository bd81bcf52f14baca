import { err, ok, type Result } from '../contracts/result.ts'

/** One number or run of numbers of a model state: its key path, its length (-1 for a number) and its index. */
export interface StateField {
  readonly keys: readonly string[]
  readonly length: number
  readonly at: number
}

/**
 * Where the numbers of a model state lie in its Float64Array, field after field, and the text that
 * names them (`rls.theta[4],rls.p[10],rls.updates,…`). A binary snapshot carries that text, so a
 * reader rebuilds the state's JSON form without the model's spec.
 */
export interface ModelStateLayout {
  readonly text: string
  readonly fields: readonly StateField[]
  /** Numbers of the state. */
  readonly length: number
}

/** A number, by its name, or a run of numbers, as [name, length]; the names of nested fields are dotted. */
export type StateFieldSpec = string | readonly [name: string, length: number]

type NameOf<F extends StateFieldSpec> = F extends readonly [infer N extends string, number] ? N : F & string

/** A layout that a model defines, with the index of each of its fields by name. */
export interface DefinedStateLayout<N extends string> extends ModelStateLayout {
  readonly at: Readonly<Record<N, number>>
}

const FIELD = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\[(\d{1,6})\])?$/

/** The layout that `text` names; an error value saying what is wrong with it. */
export function parseStateLayout(text: string): Result<ModelStateLayout> {
  if (text === '') return ok({ text, fields: [], length: 0 })
  const fields: StateField[] = []
  const leaves = new Set<string>()
  const objects = new Set<string>()
  let at = 0
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
    const field = { keys, length: length === undefined ? -1 : Number(length), at }
    fields.push(field)
    at += field.length < 0 ? 1 : field.length
  }
  return ok({ text, fields, length: at })
}

/**
 * The layout of a model's state from its fields, in the order they lie in the state (and in its
 * JSON form). Throws when they name no plain, distinct fields: the model breaks its own contract.
 */
export function defineStateLayout<const F extends readonly StateFieldSpec[]>(
  fields: F,
): DefinedStateLayout<NameOf<F[number]>> {
  const text = fields
    .map((field) => (typeof field === 'string' ? field : `${field[0]}[${field[1]}]`))
    .join(',')
  const parsed = parseStateLayout(text)
  if (!parsed.ok) throw new Error(`defineStateLayout: ${parsed.error}`)
  const at = Object.fromEntries(parsed.value.fields.map((field) => [field.keys.join('.'), field.at]))
  return { ...parsed.value, at: at as Record<NameOf<F[number]>, number> }
}
