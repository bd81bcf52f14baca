import {
  float64sToLittleEndian,
  readFloat64s,
  readUtf8,
  utf8Length,
  writeUtf8,
} from '../contracts/binary-value.ts'
import { validateMessage } from '../contracts/decode-message.ts'
import {
  MODEL_SNAPSHOT_SCHEMA_VERSION,
  modelSnapshotSchema,
  SCORE_SUM_FIELDS,
  type ModelSnapshot,
} from '../contracts/model-snapshot.ts'
import { err, type Result } from '../contracts/result.ts'
import type { AnyModelSpec } from '../model/model-spec.ts'
import {
  fitsStateLayout,
  numbersAt,
  parseStateLayout,
  readStateNumbers,
  stateLayoutOf,
  writeStateNumbers,
  type ModelStateLayout,
} from './model-state-layout.ts'
import type { TrainerState } from './trainer-state.ts'

/**
 * The models-topic value of a symbol: the snapshot `toSnapshot` gives, in a binary layout rather
 * than JSON, since printing some 140 doubles per message was half the trainer's cost at thousands
 * of symbols. Numbers are little-endian float64 (exact, so a restored state equals the written one
 * bit for bit); NaN stands for null in the nullable fields. Layout (encoding 1):
 *
 *   header, 16 bytes: u8 0xB6 (JSON starts with `{`), u8 encoding, u8 schema, u8 0,
 *     u16 models, u16 lastInputs, u32 float64s, u32 bytes of text
 *   float64s: version, trainedThrough, lastClose, volatility, pendingSigma, servedScoreSums,
 *     the lastInputs values; per model version, band, scoreSums, recentLossDiff, pending, state
 *   text, each a u16 byte count and UTF-8: symbol, interval, served, the lastInputs names; per
 *     model id, kind and the layout of its state (`model-state-layout.ts`)
 *
 * Encoding 2 (written since the variance models) appends, after the models' numbers, per variance
 * model its version and numbers (scores, then state: see `variance` in the snapshot schema), and
 * after the texts two more: the served variance model's id and the variance layout,
 * `id:version:count` per model joined by commas. Encoding 1 is still read (its snapshot has no
 * `variance`, and the challengers start afresh).
 *
 * Decoding checks the layout, then validates the result with `modelSnapshotSchema`.
 */
export const MODEL_SNAPSHOT_MARKER = 0xb6
const ENCODING = 2
const LEGACY_ENCODING = 1
const HEADER_BYTES = 16
const SUMS = SCORE_SUM_FIELDS.length
const TOP = 7 + SUMS
const PER_MODEL = 7 + SUMS

const utf8 = new TextEncoder()

/** Writes `text`, `length` bytes of UTF-8, after its u16 byte count at `at`; returns where it ends. */
function writeText(bytes: Uint8Array, at: number, text: string, length: number): number {
  bytes[at] = length & 0xff
  bytes[at + 1] = length >>> 8
  writeUtf8(bytes, at + 2, text)
  return at + 2 + length
}

/** Copies `values` to `f[k]` on: a loop, since `set` costs more than a dozen numbers. */
function put(f: Float64Array, k: number, values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) f[k + i] = values[i]!
  return k + values.length
}

/**
 * What the values of one model list share, built once: the lastInputs names, where each model's
 * inputs go among them, the layout of each model's state, and the text from the names on.
 */
interface Template {
  readonly specs: readonly AnyModelSpec[]
  readonly inputCount: number
  /** Per model, per input: its index among the lastInputs values (the last model to name it wins). */
  readonly inputAt: readonly (readonly number[])[]
  readonly layouts: readonly ModelStateLayout[]
  /** Float64s of a value. */
  readonly count: number
  /** The names, then each model's id, kind and state layout, each after its u16 byte count. */
  readonly tail: Uint8Array
  /** The variance layout text, after its u16 byte count (written after the served variance id). */
  readonly varianceTail: Uint8Array
  readonly varianceSpecs: readonly unknown[]
}

function varianceLayoutOf(state: TrainerState): string {
  return state.variances
    .map((slot) => `${slot.id}:${slot.spec?.version ?? 1}:${slot.scores.length + slot.state.length}`)
    .join(',')
}

function templateOf(state: TrainerState): Template {
  const specs = state.models.map((slot) => slot.spec)
  const names = [...new Set(specs.flatMap((spec) => spec.features))]
  const layouts = state.models.map((slot) => stateLayoutOf(slot.state))
  const texts = [...names, ...specs.flatMap((spec, index) => [spec.id, spec.kind, layouts[index]!.text])]
  const encoded = texts.map((text) => utf8.encode(text))
  if (specs.length > 0xffff || names.length > 0xffff || encoded.some((text) => text.length > 0xffff))
    throw new Error('encodeModelSnapshot: the model list is outside what the layout holds')
  const tail = new Uint8Array(encoded.reduce((sum, text) => sum + 2 + text.length, 0))
  let at = 0
  for (const text of encoded) {
    tail.set([text.length & 0xff, text.length >>> 8, ...text], at)
    at += 2 + text.length
  }
  const varianceText = utf8.encode(varianceLayoutOf(state))
  if (varianceText.length > 0xffff) throw new Error('encodeModelSnapshot: the variance layout is too long')
  const varianceTail = new Uint8Array(2 + varianceText.length)
  varianceTail.set([varianceText.length & 0xff, varianceText.length >>> 8, ...varianceText])
  const varianceCount = state.variances.reduce(
    (sum, slot) => sum + 1 + slot.scores.length + slot.state.length,
    0,
  )
  return {
    specs,
    inputCount: names.length,
    inputAt: specs.map((spec) => spec.features.map((name) => names.indexOf(name))),
    layouts,
    count: layouts.reduce(
      (sum, layout) => sum + PER_MODEL + layout.count,
      TOP + names.length + varianceCount,
    ),
    tail,
    varianceTail,
    varianceSpecs: state.variances.map((slot) => slot.spec),
  }
}

/** The last template by its first model, reused while a state's models and their layouts match it. */
const templates = new WeakMap<AnyModelSpec, Template>()

function cachedTemplateOf(state: TrainerState): Template {
  const { models } = state
  const cached = models[0] === undefined ? undefined : templates.get(models[0].spec)
  if (
    cached?.specs.length === models.length &&
    cached.varianceSpecs.length === state.variances.length &&
    state.variances.every((slot, index) => slot.spec === cached.varianceSpecs[index]) &&
    models.every(
      (slot, index) =>
        slot.spec === cached.specs[index] && fitsStateLayout(cached.layouts[index]!, slot.state),
    )
  )
    return cached
  const fresh = templateOf(state)
  if (models[0] !== undefined) templates.set(models[0].spec, fresh)
  return fresh
}

/** A state's value, planned before it is written: its template, `served` and its size. */
interface Plan {
  readonly state: TrainerState
  readonly template: Template
  readonly served: string
  readonly symbolBytes: number
  readonly servedBytes: number
  readonly servedVariance: string
  readonly servedVarianceBytes: number
  readonly size: number
}

function planOf(state: TrainerState): Plan {
  if (Number.isNaN(state.lastBarStart))
    throw new Error(`no row trained for ${state.symbol} yet: nothing to snapshot`)
  const template = cachedTemplateOf(state)
  const served = state.models[state.served]?.id ?? ''
  const symbolBytes = utf8Length(state.symbol)
  const servedBytes = utf8Length(served)
  if (symbolBytes > 0xffff || servedBytes > 0xffff)
    throw new Error('encodeModelSnapshot: the state is outside what the layout holds')
  const servedVariance = state.variances[state.servedVariance]?.id ?? ''
  const servedVarianceBytes = utf8Length(servedVariance)
  const textBytes =
    8 +
    symbolBytes +
    state.interval.length +
    servedBytes +
    template.tail.length +
    servedVarianceBytes +
    template.varianceTail.length
  return {
    state,
    template,
    served,
    symbolBytes,
    servedBytes,
    servedVariance,
    servedVarianceBytes,
    size: HEADER_BYTES + template.count * 8 + textBytes,
  }
}

const orNaN = (value: number): number => (Number.isFinite(value) ? value : Number.NaN)

/** Writes the planned value at `bytes[0]`, which must be 8-byte aligned in its buffer. */
function writePlan(plan: Plan, bytes: Uint8Array): void {
  const { state, template } = plan
  const { count, inputAt, layouts } = template
  const f = new Float64Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, count)
  const { volatility, models } = state
  f[0] = state.version
  f[1] = state.lastBarStart
  f[2] = state.lastClose
  f[3] = volatility.variance
  f[4] = volatility.weight
  f[5] = volatility.count
  f[6] = orNaN(state.pendingSigma)
  put(f, 7, state.servedScores)
  let k = TOP + template.inputCount
  for (let index = 0; index < models.length; index++) {
    const slot = models[index]!
    const at = inputAt[index]!
    for (let i = 0; i < at.length; i++) f[TOP + at[i]!] = orNaN(slot.inputs[i]!)
    f[k] = slot.spec.version
    k = put(f, put(f, k + 1, slot.band), slot.scores)
    f[k++] = slot.recentLossDiff
    f[k++] = orNaN(slot.pending)
    k = writeStateNumbers(layouts[index]!, slot.state, f, k)
  }
  for (const slot of state.variances) {
    f[k++] = slot.spec?.version ?? 1
    k = put(f, put(f, k, slot.scores), slot.state)
  }
  if (k !== count) throw new Error(`encodeModelSnapshot: wrote ${k} of ${count} numbers`)
  float64sToLittleEndian(bytes, HEADER_BYTES, count)

  const textAt = HEADER_BYTES + count * 8
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  header.setUint8(0, MODEL_SNAPSHOT_MARKER)
  header.setUint8(1, ENCODING)
  header.setUint8(2, MODEL_SNAPSHOT_SCHEMA_VERSION)
  header.setUint16(4, models.length, true)
  header.setUint16(6, template.inputCount, true)
  header.setUint32(8, count, true)
  header.setUint32(12, bytes.byteLength - textAt, true)
  let at = writeText(bytes, textAt, state.symbol, plan.symbolBytes)
  at = writeText(bytes, at, state.interval, state.interval.length)
  at = writeText(bytes, at, plan.served, plan.servedBytes)
  bytes.set(template.tail, at)
  at = writeText(bytes, at + template.tail.length, plan.servedVariance, plan.servedVarianceBytes)
  bytes.set(template.varianceTail, at)
}

const align8 = (size: number): number => (size + 7) & ~7

/**
 * The models-topic values of several states (see the layout above), in one allocation: a batch
 * writes one per changed symbol, and thousands of small buffers are work for the GC. Throws when a
 * state has seen no row (there is nothing to publish yet).
 */
export function encodeModelSnapshots(states: readonly TrainerState[]): Uint8Array[] {
  const plans = states.map(planOf)
  const buffer = new ArrayBuffer(plans.reduce((sum, plan) => sum + align8(plan.size), 0))
  let at = 0
  return plans.map((plan) => {
    const bytes = new Uint8Array(buffer, at, plan.size)
    writePlan(plan, bytes)
    at += align8(plan.size)
    return bytes
  })
}

/** The models-topic value of one symbol's state (see the layout above). */
export function encodeModelSnapshot(state: TrainerState): Uint8Array {
  const [bytes] = encodeModelSnapshots([state])
  return bytes!
}

/** The texts of a value in order, or what is wrong with them. */
function readTexts(bytes: Uint8Array, at: number, count: number): string | string[] {
  const texts: string[] = []
  for (let index = 0; index < count; index++) {
    if (at + 2 > bytes.byteLength) return `model snapshot text ${index} of ${count} is cut off`
    const end = at + 2 + (bytes[at]! | (bytes[at + 1]! << 8))
    if (end > bytes.byteLength) return `model snapshot text ${index} of ${count} is cut off`
    const text = readUtf8(bytes, at + 2, end)
    if (text === undefined) return `model snapshot text ${index} of ${count} is not UTF-8`
    texts.push(text)
    at = end
  }
  if (at !== bytes.byteLength) return `model snapshot has ${bytes.byteLength - at} bytes after its texts`
  return texts
}

/** Parsed layouts by their text: every value of a model list repeats the same few. */
const parsedLayouts = new Map<string, Result<ModelStateLayout>>()

function parsedLayoutOf(text: string): Result<ModelStateLayout> {
  let parsed = parsedLayouts.get(text)
  if (parsed === undefined) {
    parsed = parseStateLayout(text)
    if (parsedLayouts.size >= 64) parsedLayouts.clear()
    parsedLayouts.set(text, parsed)
  }
  return parsed
}

/** The plain value of the layout, still to be validated; a string when the layout is broken. */
interface VarianceLayout {
  readonly id: string
  readonly version: number
  readonly count: number
}

/** The variance layout text `id:version:count,…`, or what is wrong with it. */
function parseVarianceLayout(text: string): string | VarianceLayout[] {
  const layouts: VarianceLayout[] = []
  for (const part of text.split(',')) {
    const [id, version, count, extra] = part.split(':')
    const v = Number(version)
    const c = Number(count)
    if (
      id === undefined ||
      id === '' ||
      extra !== undefined ||
      !Number.isInteger(v) ||
      !Number.isInteger(c) ||
      c < 0
    )
      return `variance layout "${part}" is not id:version:count`
    layouts.push({ id, version: v, count: c })
  }
  return layouts
}

function readSnapshot(bytes: Uint8Array): string | { readonly value: unknown } {
  const hasVariance = bytes[1] === ENCODING
  if (bytes.byteLength < HEADER_BYTES) return `model snapshot of ${bytes.byteLength} bytes lacks its header`
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  const modelCount = header.getUint16(4, true)
  const inputCount = header.getUint16(6, true)
  const count = header.getUint32(8, true)
  const textBytes = header.getUint32(12, true)
  const size = HEADER_BYTES + count * 8 + textBytes
  if (bytes.byteLength !== size) return `model snapshot of ${bytes.byteLength} bytes, its header says ${size}`
  const modelTexts = 3 + inputCount + 3 * modelCount
  const texts = readTexts(bytes, HEADER_BYTES + count * 8, modelTexts + (hasVariance ? 2 : 0))
  if (typeof texts === 'string') return texts
  const varianceLayouts = hasVariance ? parseVarianceLayout(texts[modelTexts + 1]!) : []
  if (typeof varianceLayouts === 'string') return varianceLayouts
  const [symbol, interval, served] = texts
  const layouts: ModelStateLayout[] = []
  let expected = TOP + inputCount
  for (let index = 0; index < modelCount; index++) {
    const layout = parsedLayoutOf(texts[3 + inputCount + 3 * index + 2]!)
    if (!layout.ok) return `models.${index}.state: ${layout.error}`
    layouts.push(layout.value)
    expected += PER_MODEL + layout.value.count
  }
  for (const layout of varianceLayouts) expected += 1 + layout.count
  if (count !== expected) return `model snapshot of ${count} numbers, its models take ${expected}`
  const f = readFloat64s(bytes, HEADER_BYTES, count)
  const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value)
  const many = (at: number, length: number): number[] => numbersAt(f, at, length)
  const lastInputs: Record<string, number | null> = {}
  for (let index = 0; index < inputCount; index++) lastInputs[texts[3 + index]!] = orNull(f[TOP + index]!)
  let k = TOP + inputCount
  const models = layouts.map((layout, index) => {
    const at = k
    k += PER_MODEL + layout.count
    return {
      id: texts[3 + inputCount + 3 * index],
      kind: texts[3 + inputCount + 3 * index + 1],
      version: f[at],
      state: readStateNumbers(layout, f, at + PER_MODEL),
      band: many(at + 1, 4),
      scoreSums: many(at + 5, SUMS),
      recentLossDiff: f[at + 5 + SUMS],
      pending: orNull(f[at + 6 + SUMS]!),
    }
  })
  const variance = hasVariance
    ? {
        served: texts[modelTexts],
        models: varianceLayouts.map((layout) => {
          const at = k
          k += 1 + layout.count
          return { id: layout.id, version: f[at], numbers: many(at + 1, layout.count).map(orNull) }
        }),
      }
    : undefined
  return {
    value: {
      schema: header.getUint8(2),
      symbol,
      interval,
      version: f[0],
      trainedThrough: f[1],
      served,
      lastClose: f[2],
      lastInputs,
      volatility: many(3, 3),
      pendingSigma: orNull(f[6]!),
      servedScoreSums: many(7, SUMS),
      ...(variance === undefined ? {} : { variance }),
      models,
    },
  }
}

/**
 * Decodes and validates a binary models-topic value (`decodeSnapshot` also reads the JSON of older
 * releases). Never throws on bad input; the error says what is wrong, down to the field.
 */
export function decodeModelSnapshot(bytes: Uint8Array | null): Result<ModelSnapshot> {
  if (bytes === null || bytes.byteLength === 0) return err('empty message')
  if (bytes[0] !== MODEL_SNAPSHOT_MARKER)
    return err(`not a binary model snapshot: first byte 0x${bytes[0]!.toString(16)}`)
  if (bytes[1] !== ENCODING && bytes[1] !== LEGACY_ENCODING)
    return err(`unknown model-snapshot encoding ${String(bytes[1])}`)
  const read = readSnapshot(bytes)
  if (typeof read === 'string') return err(read)
  return validateMessage(modelSnapshotSchema, read.value)
}
