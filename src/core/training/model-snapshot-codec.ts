import { encodeValues } from '../codec/encode-values.ts'
import { ValueReader } from '../codec/value-reader.ts'
import type { ValueWriter } from '../codec/value-writer.ts'
import { utf8Length } from '../contracts/binary-value.ts'
import { validateMessage } from '../contracts/decode-message.ts'
import {
  MODEL_SNAPSHOT_SCHEMA_VERSION,
  modelSnapshotSchema,
  SCORE_SUM_FIELDS,
  type ModelSnapshot,
} from '../contracts/model-snapshot.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { BAND_LENGTH } from '../model/conformal-band.ts'
import { EWMA_VOLATILITY_LENGTH } from '../model/ewma-volatility.ts'
import type { ModelSpec } from '../model/model-spec.ts'
import { modelStateToJson } from '../model/model-state-json.ts'
import { parseStateLayout, type ModelStateLayout } from '../model/model-state-layout.ts'
import type { VarianceSpec } from '../model/variance-models.ts'
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
 * Encoding 3 (written since the interval scores) appends, after the variance numbers, the interval
 * sums of the published band (`intervals` in the snapshot schema), and after the texts one more:
 * their layout, `version:count`. Up to its last text and those numbers, a value is its encoding 2
 * value. Encodings 1 and 2 are still read (their snapshot has no `intervals`, which start afresh).
 *
 * Encoding 4 (written since the 5- and 20-bar intervals) appends, after the interval sums, the
 * horizon state (`horizons` in the snapshot schema, `horizon-bands.ts`), and after the texts one
 * more: its layout, `version:count`. Up to there a value is its encoding 3 value; encodings 1 to 3
 * are still read (their snapshot has no `horizons`, which start afresh).
 *
 * Encoding 5 (written since the intraday time-of-day profile) appends, after the horizon state, the
 * time-of-day profile (`timeOfDay` in the snapshot schema, `time-of-day-profile.ts`), and after the
 * texts one more: its layout, `version:count`. Up to there a value is its encoding 4 value;
 * encodings 1 to 4 are still read (their snapshot has no `timeOfDay`, which starts afresh).
 *
 * Everything but the symbol's own numbers and its symbol, interval and served ids is the same for
 * every value of one model list: its codec (`ModelListCodec`, `ModelListReader`) is built once per
 * layout. `writeSnapshot` and `readSnapshot` mirror each other call for call. Decoding checks the
 * layout, then validates the result with `modelSnapshotSchema`.
 */
export const MODEL_SNAPSHOT_MARKER = 0xb6
const ENCODING = 5
const HORIZON_ENCODING = 4
const INTERVAL_ENCODING = 3
const VARIANCE_ENCODING = 2
const LEGACY_ENCODING = 1
/** The layout of the interval sums, named in encoding 3's last text. */
const INTERVAL_SUMS_VERSION = 1
/** The layout of the horizon state, named in encoding 4's last text. */
const HORIZONS_VERSION = 1
/** The layout of the time-of-day profile, named in encoding 5's last text. */
const TIME_OF_DAY_VERSION = 1
const HEADER_BYTES = 16
const SUMS = SCORE_SUM_FIELDS.length
/** Numbers before the lastInputs: version, trainedThrough, lastClose, volatility, pendingSigma, served score sums. */
const TOP = 4 + EWMA_VOLATILITY_LENGTH + SUMS
/** A model's numbers before its state: version, band, score sums, recentLossDiff, pending. */
const PER_MODEL = 3 + BAND_LENGTH + SUMS
/** Bound on the layouts a reader keeps: values are input, and one trainer writes one layout. */
const MAX_READERS = 16

const utf8 = new TextEncoder()

/** `texts` as they are written, each after its u16 byte count; throws when one is too long. */
function prefixedTexts(texts: readonly string[]): Uint8Array {
  const encoded = texts.map((text) => utf8.encode(text))
  if (encoded.some((text) => text.length > 0xffff))
    throw new Error('encodeModelSnapshot: the model list is outside what the layout holds')
  const bytes = new Uint8Array(encoded.reduce((sum, text) => sum + 2 + text.length, 0))
  let at = 0
  for (const text of encoded) {
    bytes.set([text.length & 0xff, text.length >>> 8, ...text], at)
    at += 2 + text.length
  }
  return bytes
}

const varianceLayoutOf = (state: TrainerState): string =>
  state.variances
    .map((slot) => `${slot.id}:${slot.spec?.version ?? 1}:${slot.scores.length + slot.state.length}`)
    .join(',')

/** What every value of one model list shares: the writer's half of the layout, built once. */
interface ModelListCodec {
  readonly specs: readonly ModelSpec[]
  readonly varianceSpecs: readonly (VarianceSpec | null)[]
  /** Per lastInputs name, the model and the input that give its value (the last model to name it), in pairs. */
  readonly inputSource: Int32Array
  /** Float64s of a value. */
  readonly count: number
  /** The names, then each model's id, kind and state layout. */
  readonly modelTexts: Uint8Array
  /**
   * The variance layout text (written after the served variance id), the interval sums', the
   * horizons' and the time-of-day profile's layouts.
   */
  readonly varianceText: Uint8Array
  readonly intervalCount: number
  readonly horizonCount: number
  readonly timeOfDayCount: number
}

function createModelListCodec(state: TrainerState): ModelListCodec {
  const specs = state.models.map((slot) => slot.spec)
  const names = [...new Set(specs.flatMap((spec) => spec.features))]
  if (specs.length > 0xffff || names.length > 0xffff)
    throw new Error('encodeModelSnapshot: the model list is outside what the layout holds')
  const inputSource = Int32Array.from(
    names.flatMap((name) => {
      const model = specs.findLastIndex((spec) => spec.features.includes(name))
      return [model, specs[model]!.features.indexOf(name)]
    }),
  )
  const varianceCount = state.variances.reduce(
    (sum, slot) => sum + 1 + slot.scores.length + slot.state.length,
    0,
  )
  return {
    specs,
    varianceSpecs: state.variances.map((slot) => slot.spec),
    inputSource,
    count: specs.reduce(
      (sum, spec) => sum + PER_MODEL + spec.layout.length,
      TOP +
        names.length +
        varianceCount +
        state.intervalSums.length +
        state.horizons.length +
        state.timeOfDay.length,
    ),
    modelTexts: prefixedTexts([...names, ...specs.flatMap((spec) => [spec.id, spec.kind, spec.layout.text])]),
    varianceText: prefixedTexts([
      varianceLayoutOf(state),
      `${String(INTERVAL_SUMS_VERSION)}:${String(state.intervalSums.length)}`,
      `${String(HORIZONS_VERSION)}:${String(state.horizons.length)}`,
      `${String(TIME_OF_DAY_VERSION)}:${String(state.timeOfDay.length)}`,
    ]),
    intervalCount: state.intervalSums.length,
    horizonCount: state.horizons.length,
    timeOfDayCount: state.timeOfDay.length,
  }
}

const fits = (codec: ModelListCodec, state: TrainerState): boolean =>
  codec.specs.length === state.models.length &&
  codec.varianceSpecs.length === state.variances.length &&
  codec.intervalCount === state.intervalSums.length &&
  codec.horizonCount === state.horizons.length &&
  codec.timeOfDayCount === state.timeOfDay.length &&
  state.variances.every((slot, index) => slot.spec === codec.varianceSpecs[index]) &&
  state.models.every((slot, index) => slot.spec === codec.specs[index])

/** The codec of the last model list encoded: a trainer runs one, so it is built once. */
let current: ModelListCodec | undefined

function codecOf(state: TrainerState): ModelListCodec {
  if (current === undefined || !fits(current, state)) current = createModelListCodec(state)
  return current
}

/** A state's value, planned before it is written: its codec, its texts and its size. */
interface Plan {
  readonly interval: string
  readonly codec: ModelListCodec
  readonly served: string
  readonly servedVariance: string
  readonly textBytes: readonly [symbol: number, served: number, servedVariance: number]
}

function planOf(state: TrainerState): Plan {
  if (Number.isNaN(state.lastBarStart))
    throw new Error(`no row trained for ${state.symbol} yet: nothing to snapshot`)
  const served = state.models[state.served]?.id ?? ''
  const servedVariance = state.variances[state.servedVariance]?.id ?? ''
  const textBytes = [utf8Length(state.symbol), utf8Length(served), utf8Length(servedVariance)] as const
  if (textBytes[0] > 0xffff || textBytes[1] > 0xffff)
    throw new Error('encodeModelSnapshot: the state is outside what the layout holds')
  return { interval: state.interval, codec: codecOf(state), served, servedVariance, textBytes }
}

const sizeOf = ({ interval, codec, textBytes }: Plan): number =>
  HEADER_BYTES +
  codec.count * 8 +
  // The byte counts of the symbol, interval, served and served variance ids.
  8 +
  textBytes[0] +
  interval.length +
  textBytes[1] +
  codec.modelTexts.length +
  textBytes[2] +
  codec.varianceText.length

function writeSnapshot(
  plan: Plan,
  state: TrainerState,
  w: ValueWriter,
  at: number,
  size: number,
): Uint8Array {
  const { codec, textBytes } = plan
  const { models, volatility } = state
  w.begin(at, size, HEADER_BYTES, codec.count)
  w.float64(state.version)
  w.float64(state.lastBarStart)
  w.float64(state.lastClose)
  w.float64s(volatility)
  w.finiteOrNaN(state.pendingSigma)
  w.float64s(state.servedScores)
  const { inputSource } = codec
  for (let i = 0; i < inputSource.length; i += 2)
    w.finiteOrNaN(models[inputSource[i]!]!.inputs[inputSource[i + 1]!]!)
  for (const slot of models) {
    w.float64(slot.spec.version)
    w.float64s(slot.band)
    w.float64s(slot.scores)
    w.float64(slot.recentLossDiff)
    w.finiteOrNaN(slot.pending)
    w.float64s(slot.state)
  }
  for (const slot of state.variances) {
    w.float64(slot.spec?.version ?? 1)
    w.float64s(slot.scores)
    w.float64s(slot.state)
  }
  w.float64s(state.intervalSums)
  w.float64s(state.horizons)
  w.float64s(state.timeOfDay)
  w.prefixedText(state.symbol, textBytes[0])
  w.prefixedText(state.interval, state.interval.length)
  w.prefixedText(plan.served, textBytes[1])
  w.raw(codec.modelTexts)
  w.prefixedText(plan.servedVariance, textBytes[2])
  w.raw(codec.varianceText)
  w.u8(0, MODEL_SNAPSHOT_MARKER)
  w.u8(1, ENCODING)
  w.u8(2, MODEL_SNAPSHOT_SCHEMA_VERSION)
  w.u16(4, models.length)
  w.u16(6, codec.inputSource.length / 2)
  w.u32(8, codec.count)
  w.u32(12, size - HEADER_BYTES - codec.count * 8)
  return w.end()
}

/**
 * The models-topic values of several states (see the layout above), in one allocation: a batch
 * writes one per changed symbol, and thousands of small buffers are work for the GC. Throws when a
 * state has seen no row (there is nothing to publish yet).
 */
export function encodeModelSnapshots(states: readonly TrainerState[]): Uint8Array[] {
  return encodeModelSnapshotsOf(states, (state) => state)
}

/**
 * `encodeModelSnapshots` of states that are opened one at a time (a packed trainer's, whose
 * workbench holds one state at a time): `open` is called twice per item, to plan and to write.
 */
export function encodeModelSnapshotsOf<T>(
  items: readonly T[],
  open: (item: T) => TrainerState,
): Uint8Array[] {
  const plans = items.map((item) => planOf(open(item)))
  return encodeValues(items, plans.map(sizeOf), (item, w, at, size, index) =>
    writeSnapshot(plans[index]!, open(item), w, at, size),
  )
}

/** The models-topic value of one symbol's state (see the layout above). */
export function encodeModelSnapshot(state: TrainerState): Uint8Array {
  const [bytes] = encodeModelSnapshots([state])
  return bytes!
}

interface VarianceLayout {
  readonly id: string
  readonly version: number
  readonly count: number
}

/** The variance layout text `id:version:count,…`, or what is wrong with it. */
function parseVarianceLayout(text: string): Result<VarianceLayout[]> {
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
      return err(`variance layout "${part}" is not id:version:count`)
    layouts.push({ id, version: v, count: c })
  }
  return ok(layouts)
}

/** The reader's half of a layout, built once per layout text: the models', variance and interval layouts. */
interface ModelListReader {
  readonly layouts: readonly ModelStateLayout[]
  readonly varianceLayouts: readonly VarianceLayout[]
  /** Numbers of the interval sums; 0 before encoding 3. */
  readonly intervalCount: number
  /** Numbers of the horizon state; 0 before encoding 4. */
  readonly horizonCount: number
  /** Numbers of the time-of-day profile; 0 before encoding 5. */
  readonly timeOfDayCount: number
  /** Float64s of a value. */
  readonly count: number
}

/** A `version:count` layout text (the interval sums', the horizons', the time-of-day profile's): the count, or what is wrong with it. */
function parseCountLayout(what: string, expectedVersion: number, text: string | undefined): Result<number> {
  if (text === undefined) return ok(0)
  const [version, count, extra] = text.split(':')
  const c = Number(count)
  if (Number(version) !== expectedVersion || extra !== undefined || !Number.isInteger(c) || c < 0)
    return err(`${what} layout "${text}" is not ${String(expectedVersion)}:count`)
  return ok(c)
}

/**
 * The reader of a layout: `modelTexts` are the texts from the names on, `varianceText` the variance
 * layout, `intervalText` the interval sums', `horizonText` the horizons' and `profileText` the
 * time-of-day profile's layout, when the encoding has them.
 */
function createModelListReader(
  inputCount: number,
  modelTexts: readonly string[],
  varianceText: string | undefined,
  intervalText: string | undefined,
  horizonText: string | undefined,
  profileText: string | undefined,
): Result<ModelListReader> {
  const varianceLayouts = varianceText === undefined ? ok([]) : parseVarianceLayout(varianceText)
  if (!varianceLayouts.ok) return varianceLayouts
  const intervalCount = parseCountLayout('interval sums', INTERVAL_SUMS_VERSION, intervalText)
  if (!intervalCount.ok) return intervalCount
  const horizonCount = parseCountLayout('horizons', HORIZONS_VERSION, horizonText)
  if (!horizonCount.ok) return horizonCount
  const timeOfDayCount = parseCountLayout('time-of-day profile', TIME_OF_DAY_VERSION, profileText)
  if (!timeOfDayCount.ok) return timeOfDayCount
  const layouts: ModelStateLayout[] = []
  let count = TOP + inputCount
  for (let index = 0; 3 * index < modelTexts.length - inputCount; index++) {
    const layout = parseStateLayout(modelTexts[inputCount + 3 * index + 2]!)
    if (!layout.ok) return err(`models.${index}.state: ${layout.error}`)
    layouts.push(layout.value)
    count += PER_MODEL + layout.value.length
  }
  for (const layout of varianceLayouts.value) count += 1 + layout.count
  count += intervalCount.value + horizonCount.value + timeOfDayCount.value
  return ok({
    layouts,
    varianceLayouts: varianceLayouts.value,
    intervalCount: intervalCount.value,
    horizonCount: horizonCount.value,
    timeOfDayCount: timeOfDayCount.value,
    count,
  })
}

const readers = new Map<string, Result<ModelListReader>>()

function readerOf(
  inputCount: number,
  modelTexts: readonly string[],
  varianceText: string | undefined,
  intervalText: string | undefined,
  horizonText: string | undefined,
  profileText: string | undefined,
) {
  const key = `${inputCount}\n${modelTexts.join('\n')}\n${varianceText ?? ''}\n${intervalText ?? ''}\n${horizonText ?? ''}\n${profileText ?? ''}`
  let reader = readers.get(key)
  if (reader === undefined) {
    reader = createModelListReader(
      inputCount,
      modelTexts,
      varianceText,
      intervalText,
      horizonText,
      profileText,
    )
    // The oldest layout goes first: Map keeps insertion order.
    if (readers.size >= MAX_READERS) readers.delete(readers.keys().next().value!)
    readers.set(key, reader)
  }
  return reader
}

/** The `count` texts after the numbers, or what is wrong with them. */
function readTexts(r: ValueReader, count: number): Result<string[]> {
  const texts: string[] = []
  for (let index = 0; index < count; index++) {
    const text = r.prefixedText()
    if (typeof text !== 'string') return err(`model snapshot text ${index} of ${count} is ${text.error}`)
    texts.push(text)
  }
  if (r.remainingBytes !== 0) return err(`model snapshot has ${r.remainingBytes} bytes after its texts`)
  return ok(texts)
}

/** The plain value of the layout, still to be validated; an error when the layout is broken. */
function readSnapshot(bytes: Uint8Array): Result<unknown> {
  const encoding = bytes[1] ?? 0
  const hasVariance = encoding >= VARIANCE_ENCODING
  const hasIntervals = encoding >= INTERVAL_ENCODING
  const hasHorizons = encoding >= HORIZON_ENCODING
  const hasTimeOfDayProfile = encoding >= ENCODING
  if (bytes.byteLength < HEADER_BYTES)
    return err(`model snapshot of ${bytes.byteLength} bytes lacks its header`)
  const r = new ValueReader(bytes, HEADER_BYTES)
  const modelCount = r.u16(4)
  const inputCount = r.u16(6)
  const count = r.u32(8)
  const size = HEADER_BYTES + count * 8 + r.u32(12)
  if (bytes.byteLength !== size)
    return err(`model snapshot of ${bytes.byteLength} bytes, its header says ${size}`)
  r.beginNumbers(count)
  const modelTexts = 3 + inputCount + 3 * modelCount
  const texts = readTexts(
    r,
    modelTexts +
      (hasVariance ? 2 : 0) +
      (hasIntervals ? 1 : 0) +
      (hasHorizons ? 1 : 0) +
      (hasTimeOfDayProfile ? 1 : 0),
  )
  if (!texts.ok) return texts
  const [symbol, interval, served] = texts.value
  const names = texts.value.slice(3, 3 + inputCount)
  const reader = readerOf(
    inputCount,
    texts.value.slice(3, modelTexts),
    texts.value[modelTexts + 1],
    hasIntervals ? texts.value[modelTexts + 2] : undefined,
    hasHorizons ? texts.value[modelTexts + 3] : undefined,
    hasTimeOfDayProfile ? texts.value[modelTexts + 4] : undefined,
  )
  if (!reader.ok) return reader
  const { layouts, varianceLayouts, intervalCount, horizonCount, timeOfDayCount } = reader.value
  if (count !== reader.value.count)
    return err(`model snapshot of ${count} numbers, its models take ${reader.value.count}`)
  const version = r.float64()
  const trainedThrough = r.float64()
  const lastClose = r.float64()
  const volatility = r.float64s(EWMA_VOLATILITY_LENGTH)
  const pendingSigma = r.nanAsNull()
  const servedScoreSums = r.float64s(SUMS)
  const lastInputs: Record<string, number | null> = {}
  for (const name of names) lastInputs[name] = r.nanAsNull()
  const models = layouts.map((layout, index) => {
    const modelVersion = r.float64()
    const band = r.float64s(BAND_LENGTH)
    const scoreSums = r.float64s(SUMS)
    const recentLossDiff = r.float64()
    const pending = r.nanAsNull()
    return {
      id: texts.value[3 + inputCount + 3 * index],
      kind: texts.value[3 + inputCount + 3 * index + 1],
      version: modelVersion,
      state: modelStateToJson(layout, r.numbers, r.take(layout.length)),
      band,
      scoreSums,
      recentLossDiff,
      pending,
    }
  })
  const variance = hasVariance
    ? {
        served: texts.value[modelTexts],
        models: varianceLayouts.map((layout) => ({
          id: layout.id,
          version: r.float64(),
          numbers: Array.from({ length: layout.count }, () => r.nanAsNull()),
        })),
      }
    : undefined
  const intervals = hasIntervals ? Array.from({ length: intervalCount }, () => r.nanAsNull()) : undefined
  const horizons = hasHorizons ? Array.from({ length: horizonCount }, () => r.nanAsNull()) : undefined
  const timeOfDay = hasTimeOfDayProfile
    ? Array.from({ length: timeOfDayCount }, () => r.nanAsNull())
    : undefined
  return ok({
    schema: r.u8(2),
    symbol,
    interval,
    version,
    trainedThrough,
    served,
    lastClose,
    lastInputs,
    volatility,
    pendingSigma,
    servedScoreSums,
    ...(variance === undefined ? {} : { variance }),
    ...(intervals === undefined ? {} : { intervals }),
    ...(horizons === undefined ? {} : { horizons }),
    ...(timeOfDay === undefined ? {} : { timeOfDay }),
    models,
  })
}

/**
 * Decodes and validates a binary models-topic value (`decodeSnapshot` also reads the JSON of older
 * releases). Never throws on bad input; the error says what is wrong, down to the field.
 */
export function decodeModelSnapshot(bytes: Uint8Array | null): Result<ModelSnapshot> {
  if (bytes === null || bytes.byteLength === 0) return err('empty message')
  if (bytes[0] !== MODEL_SNAPSHOT_MARKER)
    return err(`not a binary model snapshot: first byte 0x${bytes[0]!.toString(16)}`)
  if (
    bytes[1] !== ENCODING &&
    bytes[1] !== HORIZON_ENCODING &&
    bytes[1] !== INTERVAL_ENCODING &&
    bytes[1] !== VARIANCE_ENCODING &&
    bytes[1] !== LEGACY_ENCODING
  )
    return err(`unknown model-snapshot encoding ${String(bytes[1])}`)
  const read = readSnapshot(bytes)
  if (!read.ok) return read
  return validateMessage(modelSnapshotSchema, read.value)
}
