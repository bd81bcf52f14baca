import type { OpenBar } from '../../core/bars/bar-builder-state.ts'
import {
  float64sToLittleEndian,
  readFloat64s,
  readUtf8,
  utf8Length,
  writeUtf8,
} from '../../core/contracts/binary-value.ts'
import { decodeMessage, validateMessage } from '../../core/contracts/decode-message.ts'
import { err, ok, type Result } from '../../core/contracts/result.ts'
import {
  FEATURE_NULLABLE,
  FEATURE_SLOT,
  FEATURE_WINDOW,
  fromFeatureStateJson,
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
 *   float64s: per open bar OPEN_BAR (hasBarQuote as 0 or 1), then BARS, FEATURES, recentIds
 *   UTF-8: symbol, bars.symbol
 *
 * Decoding checks the layout, then validates the result with `processorStateSchema`; a value
 * starting with `{` is the JSON of older releases and is decoded as such.
 */
const MARKER = 0xb5
const ENCODING = 1
const HEADER_BYTES = 16
const OPEN_BAR = 12
const BARS = 5
const W = FEATURE_WINDOW
/** The feature state's numbers, in the order they lie in its `data` (FEATURE_SLOT). */
const FEATURES = FEATURE_SLOT.length
const NULLABLE = [
  'open0.cumVolume',
  'open1.cumVolume',
  'closedThroughMs',
  'eventTimeMs',
  'volumeCarry',
  'lastStart',
  'ema12',
  'ema20',
  'ema26',
  'macdSignal',
  'ewmaVar',
] as const
const bit = (name: (typeof NULLABLE)[number]): number => 1 << NULLABLE.indexOf(name)
const BIT = {
  open0CumVolume: bit('open0.cumVolume'),
  open1CumVolume: bit('open1.cumVolume'),
  closedThroughMs: bit('closedThroughMs'),
  eventTimeMs: bit('eventTimeMs'),
  volumeCarry: bit('volumeCarry'),
} as const
/** The feature state's slots that hold NaN for none, with their presence bits. */
const FEATURE_NULLABLE_SLOTS = FEATURE_NULLABLE.map((name) => [FEATURE_SLOT[name], bit(name)] as const)

interface Layout {
  readonly count: number
  readonly symbolBytes: number
  readonly barsSymbolBytes: number
  readonly size: number
}

function layoutOf(state: ProcessorState): Layout {
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
  const count = bars.open.length * OPEN_BAR + BARS + FEATURES + bars.recentIds.length
  return {
    count,
    symbolBytes,
    barsSymbolBytes,
    size: HEADER_BYTES + count * 8 + symbolBytes + barsSymbolBytes,
  }
}

/** Writes `value` (0 when null) at `f[k]`; returns `flag` when it is present. */
function putNullable(f: Float64Array, k: number, value: number | null, flag: number): number {
  f[k] = value ?? 0
  return value === null ? 0 : flag
}

/** Views of a whole batch's buffer, made once: per state they were an allocation each. */
interface BatchViews {
  readonly numbers: Float64Array
  readonly header: DataView
}

/** Writes the state at `bytes[0]`, which must be 8-byte aligned in its buffer (viewed by `views`). */
function writeState(state: ProcessorState, layout: Layout, bytes: Uint8Array, views: BatchViews): void {
  const { bars, features } = state
  const f = views.numbers
  const first = (bytes.byteOffset + HEADER_BYTES) / 8
  let presence = 0
  let k = first
  for (const [index, b] of bars.open.entries()) {
    f[k++] = b.start
    f[k++] = b.end
    f[k++] = b.open
    f[k++] = b.high
    f[k++] = b.low
    f[k++] = b.close
    f[k++] = b.openAt
    f[k++] = b.closeAt
    f[k++] = b.count
    f[k++] = b.barVolume
    f[k++] = b.hasBarQuote ? 1 : 0
    presence |= putNullable(f, k++, b.cumVolume, index === 0 ? BIT.open0CumVolume : BIT.open1CumVolume)
  }
  presence |= putNullable(f, k++, bars.closedThroughMs, BIT.closedThroughMs)
  presence |= putNullable(f, k++, bars.eventTimeMs, BIT.eventTimeMs)
  f[k++] = bars.recentIdsNext
  presence |= putNullable(f, k++, bars.volumeCarry?.day ?? null, BIT.volumeCarry)
  f[k++] = bars.volumeCarry?.cumVolume ?? 0
  // The feature state is already in this layout, with NaN where a number is absent.
  f.set(features.data, k)
  for (const [slot, flag] of FEATURE_NULLABLE_SLOTS) {
    if (Number.isNaN(f[k + slot])) f[k + slot] = 0
    else presence |= flag
  }
  k += FEATURES
  f.set(bars.recentIds, k)
  k += bars.recentIds.length
  const { count } = layout
  if (k - first !== count) throw new Error(`encodeProcessorState: wrote ${k - first} of ${count} numbers`)
  float64sToLittleEndian(bytes, HEADER_BYTES, count)

  const { header } = views
  const at = bytes.byteOffset
  header.setUint8(at, MARKER)
  header.setUint8(at + 1, ENCODING)
  header.setUint8(at + 2, state.schema)
  header.setUint8(at + 3, bars.version)
  header.setUint8(at + 4, features.version)
  header.setUint8(at + 5, bars.open.length)
  header.setUint16(at + 6, bars.recentIds.length, true)
  header.setUint32(at + 8, presence, true)
  header.setUint16(at + 12, layout.symbolBytes, true)
  header.setUint16(at + 14, layout.barsSymbolBytes, true)
  const textAt = HEADER_BYTES + count * 8
  writeUtf8(bytes, textAt, state.symbol)
  writeUtf8(bytes, textAt + layout.symbolBytes, bars.symbol)
}

const align8 = (size: number): number => (size + 7) & ~7

/**
 * The changelog values of several states (see the layout above), in one allocation: a batch
 * writes one per changed symbol, and thousands of small buffers are work for the GC.
 */
export function encodeProcessorStates(states: readonly ProcessorState[]): Uint8Array[] {
  const layouts = states.map(layoutOf)
  const buffer = new ArrayBuffer(layouts.reduce((sum, layout) => sum + align8(layout.size), 0))
  const views = { numbers: new Float64Array(buffer), header: new DataView(buffer) }
  let at = 0
  return states.map((state, index) => {
    const layout = layouts[index]!
    const bytes = new Uint8Array(buffer, at, layout.size)
    writeState(state, layout, bytes, views)
    at += align8(layout.size)
    return bytes
  })
}

/** The changelog value of one symbol's state (see the layout above). */
export function encodeProcessorState(state: ProcessorState): Uint8Array {
  const [bytes] = encodeProcessorStates([state])
  return bytes!
}

/** The plain value of the layout, still to be validated; a string when the layout is broken. */
function readState(bytes: Uint8Array): string | { readonly value: unknown } {
  if (bytes.byteLength < HEADER_BYTES) return `processor state of ${bytes.byteLength} bytes lacks its header`
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  const openCount = header.getUint8(5)
  const idCount = header.getUint16(6, true)
  const presence = header.getUint32(8, true)
  const symbolBytes = header.getUint16(12, true)
  const barsSymbolBytes = header.getUint16(14, true)
  if (openCount > 2) return `processor state with ${openCount} open bars`
  const count = openCount * OPEN_BAR + BARS + FEATURES + idCount
  const size = HEADER_BYTES + count * 8 + symbolBytes + barsSymbolBytes
  if (bytes.byteLength !== size)
    return `processor state of ${bytes.byteLength} bytes, its header says ${size}`
  const f = readFloat64s(bytes, HEADER_BYTES, count)
  let k = 0
  const next = (): number => f[k++]!
  const nextNullable = (name: (typeof NULLABLE)[number]): number | null => {
    const value = next()
    return (presence & bit(name)) === 0 ? null : value
  }
  const many = (length: number): number[] => Array.from(f.subarray(k, (k += length)))
  const open: (Omit<OpenBar, 'hasBarQuote'> & { hasBarQuote: unknown })[] = []
  for (let index = 0; index < openCount; index++) {
    const [start, end, o, high, low, close, openAt, closeAt, barCount, barVolume, hasBarQuote] = many(11)
    open.push({
      start: start!,
      end: end!,
      open: o!,
      high: high!,
      low: low!,
      close: close!,
      openAt: openAt!,
      closeAt: closeAt!,
      count: barCount!,
      barVolume: barVolume!,
      // Anything but 0 or 1 stays a number, which the schema then rejects.
      hasBarQuote: hasBarQuote === 1 ? true : hasBarQuote === 0 ? false : hasBarQuote,
      cumVolume: nextNullable(index === 0 ? 'open0.cumVolume' : 'open1.cumVolume'),
    })
  }
  const closedThroughMs = nextNullable('closedThroughMs')
  const eventTimeMs = nextNullable('eventTimeMs')
  const recentIdsNext = next()
  const carryDay = nextNullable('volumeCarry')
  const carryVolume = next()
  const features = {
    version: header.getUint8(4),
    count: next(),
    lastStart: nextNullable('lastStart'),
    closes: many(W),
    returns: many(W),
    volumes: many(W),
    sums: many(16),
    ema12: nextNullable('ema12'),
    ema20: nextNullable('ema20'),
    ema26: nextNullable('ema26'),
    macdSignal: nextNullable('macdSignal'),
    rsiGain: next(),
    rsiLoss: next(),
    ewmaVar: nextNullable('ewmaVar'),
  }
  const recentIds = many(idCount)
  const textAt = HEADER_BYTES + count * 8
  const symbol = readUtf8(bytes, textAt, textAt + symbolBytes)
  const barsSymbol = readUtf8(bytes, textAt + symbolBytes, bytes.byteLength)
  if (symbol === undefined || barsSymbol === undefined)
    return 'processor state has a symbol that is not UTF-8'
  const bars = {
    version: header.getUint8(3),
    symbol: barsSymbol,
    open,
    closedThroughMs,
    eventTimeMs,
    recentIds,
    recentIdsNext,
    volumeCarry: carryDay === null ? null : { day: carryDay, cumVolume: carryVolume },
  }
  return { value: { schema: header.getUint8(2), symbol, bars, features } }
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
  if (typeof read === 'string') return err(read)
  return toState(validateMessage(processorStateSchema, read.value))
}

/** The validated JSON form as the stage keeps it: its feature state in one array. */
function toState(decoded: Result<ProcessorStateJson>): Result<ProcessorState> {
  if (!decoded.ok) return decoded
  return ok({ ...decoded.value, features: fromFeatureStateJson(decoded.value.features) })
}
