import type { OpenBar } from '../../core/bars/bar-builder-state.ts'
import { encodeValues } from '../../core/codec/encode-values.ts'
import { ValueReader } from '../../core/codec/value-reader.ts'
import type { ValueWriter } from '../../core/codec/value-writer.ts'
import { utf8Length } from '../../core/contracts/binary-value.ts'
import { decodeMessage, validateMessage } from '../../core/contracts/decode-message.ts'
import { err, ok, type Result } from '../../core/contracts/result.ts'
import {
  FEATURE_NULLABLE,
  FEATURE_SLOT,
  fromFeatureStateJson,
  toFeatureStateJson,
  type FeatureState,
} from '../../core/features/feature-state.ts'
import { processorStateSchema, type ProcessorState, type ProcessorStateJson } from './processor-state.ts'

/**
 * The changelog value of a symbol's processor state: a binary layout rather than JSON, since
 * printing some 170 doubles per changed symbol per batch was most of the processor's cost at
 * thousands of symbols. Numbers are little-endian float64 (exact, integers included), so a
 * restored state equals the written one bit for bit. Layout (encoding 1):
 *
 *   header, 16 bytes: u8 0xB5 (JSON starts with `{`), u8 encoding, u8 schema, u8 bars.version,
 *     u8 features.version, u8 open bars, u16 recentIds, u32 presence bits (NULLABLE order; an
 *     absent number is written as 0), u16 bytes of symbol, u16 bytes of bars.symbol
 *   float64s: per open bar OPEN_BAR (hasBarQuote as 0 or 1), then BARS, the feature state's
 *     numbers in FEATURE_SLOT order, recentIds
 *   UTF-8: symbol, bars.symbol
 *
 * `writeState` and `readState` mirror each other call for call. Decoding checks the layout, then
 * validates the result with `processorStateSchema`; a value starting with `{` is the JSON of older
 * releases and is decoded as such.
 */
const MARKER = 0xb5
const ENCODING = 1
const HEADER_BYTES = 16
const OPEN_BAR = 12
const BARS = 5
const FEATURES = FEATURE_SLOT.length
const NULLABLE = [
  'open0.cumVolume',
  'open1.cumVolume',
  'closedThroughMs',
  'eventTimeMs',
  'volumeCarry',
  ...FEATURE_NULLABLE,
] as const
const bit = (name: (typeof NULLABLE)[number]): number => 1 << NULLABLE.indexOf(name)
const OPEN_CUM_VOLUME_BIT = [bit('open0.cumVolume'), bit('open1.cumVolume')] as const
const BIT = {
  closedThroughMs: bit('closedThroughMs'),
  eventTimeMs: bit('eventTimeMs'),
  volumeCarry: bit('volumeCarry'),
} as const
/** Per slot of the feature state, its presence bit; 0 for the slots that are never absent (NaN). */
const FEATURE_BIT = new Int32Array(FEATURES)
for (const name of FEATURE_NULLABLE) FEATURE_BIT[FEATURE_SLOT[name]] = bit(name)

const numberCount = (openCount: number, idCount: number): number =>
  openCount * OPEN_BAR + BARS + FEATURES + idCount

/** Bytes of UTF-8 of the state's two symbols; throws when the state cannot be written. */
function textBytesOf(state: ProcessorState): readonly [symbol: number, barsSymbol: number] {
  const { bars } = state
  const symbolBytes = utf8Length(state.symbol)
  const barsSymbolBytes = bars.symbol === state.symbol ? symbolBytes : utf8Length(bars.symbol)
  if (
    bars.open.length > 2 ||
    bars.recentIds.length > 0xffff ||
    symbolBytes > 0xffff ||
    barsSymbolBytes > 0xffff
  )
    throw new Error('encodeProcessorState: the state is outside its schema')
  return [symbolBytes, barsSymbolBytes]
}

function sizeOf(state: ProcessorState): number {
  const [symbolBytes, barsSymbolBytes] = textBytesOf(state)
  return (
    HEADER_BYTES +
    numberCount(state.bars.open.length, state.bars.recentIds.length) * 8 +
    symbolBytes +
    barsSymbolBytes
  )
}

function writeOpenBar(w: ValueWriter, b: OpenBar, index: number): void {
  w.float64(b.start)
  w.float64(b.end)
  w.float64(b.open)
  w.float64(b.high)
  w.float64(b.low)
  w.float64(b.close)
  w.float64(b.openAt)
  w.float64(b.closeAt)
  w.float64(b.count)
  w.float64(b.barVolume)
  w.float64(b.hasBarQuote ? 1 : 0)
  w.nullable(b.cumVolume, OPEN_CUM_VOLUME_BIT[index]!)
}

function readOpenBar(r: ValueReader, index: number) {
  return {
    start: r.float64(),
    end: r.float64(),
    open: r.float64(),
    high: r.float64(),
    low: r.float64(),
    close: r.float64(),
    openAt: r.float64(),
    closeAt: r.float64(),
    count: r.float64(),
    barVolume: r.float64(),
    // Anything but 0 or 1 stays a number, which the schema then rejects.
    hasBarQuote: flagOf(r.float64()),
    cumVolume: r.nullable(OPEN_CUM_VOLUME_BIT[index]!),
  }
}

const flagOf = (value: number): boolean | number => (value === 1 ? true : value === 0 ? false : value)

/** The feature state's numbers as they lie in its `data`, NaN where absent written as 0 and a clear bit. */
function writeFeatures(w: ValueWriter, data: Float64Array): void {
  for (let slot = 0; slot < FEATURES; slot++) {
    const value = data[slot]!
    const flag = FEATURE_BIT[slot]!
    if (flag === 0) w.float64(value)
    else w.nullable(Number.isNaN(value) ? null : value, flag)
  }
}

function readFeatures(r: ValueReader): Float64Array {
  const data = new Float64Array(FEATURES)
  for (let slot = 0; slot < FEATURES; slot++) {
    const flag = FEATURE_BIT[slot]!
    data[slot] = flag === 0 ? r.float64() : (r.nullable(flag) ?? Number.NaN)
  }
  return data
}

/** Writes the state's value of `size` bytes at `at` of the writer's buffer. */
function writeState(state: ProcessorState, w: ValueWriter, at: number, size: number): Uint8Array {
  const { bars, features } = state
  const [symbolBytes, barsSymbolBytes] = textBytesOf(state)
  w.begin(at, size, HEADER_BYTES, numberCount(bars.open.length, bars.recentIds.length))
  for (let index = 0; index < bars.open.length; index++) writeOpenBar(w, bars.open[index]!, index)
  w.nullable(bars.closedThroughMs, BIT.closedThroughMs)
  w.nullable(bars.eventTimeMs, BIT.eventTimeMs)
  w.float64(bars.recentIdsNext)
  w.nullable(bars.volumeCarry?.day ?? null, BIT.volumeCarry)
  w.float64(bars.volumeCarry?.cumVolume ?? 0)
  writeFeatures(w, features.data)
  w.float64s(bars.recentIds)
  w.text(state.symbol, symbolBytes)
  w.text(bars.symbol, barsSymbolBytes)
  w.u8(0, MARKER)
  w.u8(1, ENCODING)
  w.u8(2, state.schema)
  w.u8(3, bars.version)
  w.u8(4, features.version)
  w.u8(5, bars.open.length)
  w.u16(6, bars.recentIds.length)
  w.u32(8, w.presence)
  w.u16(12, symbolBytes)
  w.u16(14, barsSymbolBytes)
  return w.end()
}

/** The plain value of the layout, still to be validated; an error when the layout is broken. */
function readState(bytes: Uint8Array): Result<unknown> {
  if (bytes.byteLength < HEADER_BYTES)
    return err(`processor state of ${bytes.byteLength} bytes lacks its header`)
  const r = new ValueReader(bytes, HEADER_BYTES)
  const openCount = r.u8(5)
  const idCount = r.u16(6)
  r.presence = r.u32(8)
  const symbolBytes = r.u16(12)
  const barsSymbolBytes = r.u16(14)
  if (openCount > 2) return err(`processor state with ${openCount} open bars`)
  const count = numberCount(openCount, idCount)
  const size = HEADER_BYTES + count * 8 + symbolBytes + barsSymbolBytes
  if (bytes.byteLength !== size)
    return err(`processor state of ${bytes.byteLength} bytes, its header says ${size}`)
  r.beginNumbers(count)
  const open = []
  for (let index = 0; index < openCount; index++) open.push(readOpenBar(r, index))
  const closedThroughMs = r.nullable(BIT.closedThroughMs)
  const eventTimeMs = r.nullable(BIT.eventTimeMs)
  const recentIdsNext = r.float64()
  const carryDay = r.nullable(BIT.volumeCarry)
  const carryVolume = r.float64()
  // The header's version, whatever it is: the schema checks it.
  const features = toFeatureStateJson({ version: r.u8(4), data: readFeatures(r) } as FeatureState)
  const recentIds = r.float64s(idCount)
  const symbol = r.text(symbolBytes)
  const barsSymbol = r.text(barsSymbolBytes)
  if (symbol === undefined || barsSymbol === undefined)
    return err('processor state has a symbol that is not UTF-8')
  const bars = {
    version: r.u8(3),
    symbol: barsSymbol,
    open,
    closedThroughMs,
    eventTimeMs,
    recentIds,
    recentIdsNext,
    volumeCarry: carryDay === null ? null : { day: carryDay, cumVolume: carryVolume },
  }
  return ok({ schema: r.u8(2), symbol, bars, features })
}

/**
 * The changelog values of several states (see the layout above), in one allocation: a batch
 * writes one per changed symbol, and thousands of small buffers are work for the GC.
 */
export function encodeProcessorStates(states: readonly ProcessorState[]): Uint8Array[] {
  return encodeValues(states, states.map(sizeOf), writeState)
}

/** The changelog value of one symbol's state (see the layout above). */
export function encodeProcessorState(state: ProcessorState): Uint8Array {
  const [bytes] = encodeProcessorStates([state])
  return bytes!
}

/**
 * Decodes and validates a changelog value: the binary layout, or the JSON of older releases.
 * Never throws on bad input; the error says what is wrong, down to the field.
 */
export function decodeProcessorState(bytes: Uint8Array | null): Result<ProcessorState> {
  if (bytes === null || bytes.byteLength === 0) return err('empty message')
  if (bytes[0] === 0x7b) return toState(decodeMessage(processorStateSchema, bytes))
  if (bytes[0] !== MARKER) return err(`not a processor state: first byte 0x${bytes[0]!.toString(16)}`)
  if (bytes[1] !== ENCODING) return err(`unknown processor-state encoding ${String(bytes[1])}`)
  const read = readState(bytes)
  if (!read.ok) return read
  return toState(validateMessage(processorStateSchema, read.value))
}

/** The validated JSON form as the stage keeps it: its feature state in one array. */
function toState(decoded: Result<ProcessorStateJson>): Result<ProcessorState> {
  if (!decoded.ok) return decoded
  return ok({ ...decoded.value, features: fromFeatureStateJson(decoded.value.features) })
}
