import type { OpenBar } from '../../core/bars/bar-builder-state.ts'
import { decodeMessage, validateMessage } from '../../core/contracts/decode-message.ts'
import { err, type Result } from '../../core/contracts/result.ts'
import { processorStateSchema, type ProcessorState } from './processor-state.ts'

/**
 * The changelog value of a symbol's processor state: a binary layout rather than JSON, since
 * printing and parsing some 170 doubles per symbol per batch was most of the processor's cost at
 * thousands of symbols. Every number is a little-endian float64 (exact, integers included), so a
 * restored state equals the written one bit for bit. Layout (ENCODING 1):
 *
 *   u8 0xB5 (marker; JSON starts with `{`), u8 encoding, u8 schema, str symbol,
 *   bars: u8 version, str symbol, u8 open count, per open bar 10 f64 (start end open high low close
 *         openAt closeAt count barVolume), u8 hasBarQuote, ?f64 cumVolume; ?f64 closedThroughMs,
 *         ?f64 eventTimeMs, u16 recentIds count, f64 each, f64 recentIdsNext,
 *         u8 volumeCarry present, f64 day, f64 cumVolume when present
 *   features: u8 version, f64 count, ?f64 lastStart, 20 f64 closes, 20 returns, 20 volumes,
 *         16 sums, ?f64 ema12 ema20 ema26 macdSignal, f64 rsiGain rsiLoss, ?f64 ewmaVar
 *
 * `str` is a u16 byte length then UTF-8; `?f64` is a u8 presence flag then the f64 when present.
 * Decoding checks the layout, then validates the result with `processorStateSchema`; a value
 * starting with `{` is the JSON of older releases and is decoded as such.
 */
const MARKER = 0xb5
const ENCODING = 1
const OPEN_BAR_NUMBERS = 10

const utf8 = new TextEncoder()
const utf8Strict = new TextDecoder('utf-8', { fatal: true })

class Writer {
  readonly bytes: Uint8Array
  readonly #view: DataView
  #at = 0

  constructor(size: number) {
    this.bytes = new Uint8Array(size)
    this.#view = new DataView(this.bytes.buffer)
  }

  u8(value: number): void {
    this.#view.setUint8(this.#at, value)
    this.#at += 1
  }

  f64(value: number): void {
    this.#view.setFloat64(this.#at, value, true)
    this.#at += 8
  }

  nullable(value: number | null): void {
    this.u8(value === null ? 0 : 1)
    if (value !== null) this.f64(value)
  }

  f64s(values: readonly number[]): void {
    for (const value of values) this.f64(value)
  }

  str(encoded: Uint8Array): void {
    if (encoded.length > 0xffff) throw new Error(`a string of ${encoded.length} bytes in a processor state`)
    this.#view.setUint16(this.#at, encoded.length, true)
    this.bytes.set(encoded, this.#at + 2)
    this.#at += 2 + encoded.length
  }

  get length(): number {
    return this.#at
  }
}

class Reader {
  readonly #bytes: Uint8Array
  readonly #view: DataView
  #at: number

  constructor(bytes: Uint8Array, at: number) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.#at = at
  }

  #need(size: number): number {
    const at = this.#at
    if (at + size > this.#bytes.length)
      throw new RangeError(`truncated at byte ${at} of ${this.#bytes.length}`)
    this.#at += size
    return at
  }

  u8(): number {
    return this.#view.getUint8(this.#need(1))
  }

  f64(): number {
    return this.#view.getFloat64(this.#need(8), true)
  }

  nullable(): number | null {
    return this.u8() === 0 ? null : this.f64()
  }

  f64s(count: number): number[] {
    return Array.from({ length: count }, () => this.f64())
  }

  str(): string {
    const length = this.#view.getUint16(this.#need(2), true)
    const at = this.#need(length)
    return utf8Strict.decode(this.#bytes.subarray(at, at + length))
  }

  get remaining(): number {
    return this.#bytes.length - this.#at
  }
}

const nullableSize = (value: number | null): number => (value === null ? 1 : 9)

/** The changelog value of one symbol's state (see the layout above). */
export function encodeProcessorState(state: ProcessorState): Uint8Array {
  const { bars, features } = state
  const symbol = utf8.encode(state.symbol)
  const barsSymbol = bars.symbol === state.symbol ? symbol : utf8.encode(bars.symbol)
  let size = 3 + 2 + symbol.length + 1 + 2 + barsSymbol.length + 1
  for (const bar of bars.open) size += OPEN_BAR_NUMBERS * 8 + 1 + nullableSize(bar.cumVolume)
  size += nullableSize(bars.closedThroughMs) + nullableSize(bars.eventTimeMs) + 2 + bars.recentIds.length * 8
  size += 8 + 1 + (bars.volumeCarry === null ? 0 : 16)
  size += 1 + 8 + nullableSize(features.lastStart) + (3 * 20 + 16) * 8
  size += nullableSize(features.ema12) + nullableSize(features.ema20) + nullableSize(features.ema26)
  size += nullableSize(features.macdSignal) + 16 + nullableSize(features.ewmaVar)

  const out = new Writer(size)
  out.u8(MARKER)
  out.u8(ENCODING)
  out.u8(state.schema)
  out.str(symbol)
  out.u8(bars.version)
  out.str(barsSymbol)
  out.u8(bars.open.length)
  for (const bar of bars.open) {
    out.f64(bar.start)
    out.f64(bar.end)
    out.f64(bar.open)
    out.f64(bar.high)
    out.f64(bar.low)
    out.f64(bar.close)
    out.f64(bar.openAt)
    out.f64(bar.closeAt)
    out.f64(bar.count)
    out.f64(bar.barVolume)
    out.u8(bar.hasBarQuote ? 1 : 0)
    out.nullable(bar.cumVolume)
  }
  out.nullable(bars.closedThroughMs)
  out.nullable(bars.eventTimeMs)
  const recentIds = bars.recentIds
  out.u8(recentIds.length & 0xff)
  out.u8(recentIds.length >>> 8)
  out.f64s(recentIds)
  out.f64(bars.recentIdsNext)
  out.u8(bars.volumeCarry === null ? 0 : 1)
  if (bars.volumeCarry !== null) {
    out.f64(bars.volumeCarry.day)
    out.f64(bars.volumeCarry.cumVolume)
  }
  out.u8(features.version)
  out.f64(features.count)
  out.nullable(features.lastStart)
  out.f64s(features.closes)
  out.f64s(features.returns)
  out.f64s(features.volumes)
  out.f64s(features.sums)
  out.nullable(features.ema12)
  out.nullable(features.ema20)
  out.nullable(features.ema26)
  out.nullable(features.macdSignal)
  out.f64(features.rsiGain)
  out.f64(features.rsiLoss)
  out.nullable(features.ewmaVar)
  if (out.length !== size) throw new Error(`encodeProcessorState: wrote ${out.length} of ${size} bytes`)
  return out.bytes
}

function readOpenBar(input: Reader): OpenBar {
  const [start, end, open, high, low, close, openAt, closeAt, count, barVolume] = input.f64s(OPEN_BAR_NUMBERS)
  return {
    start: start!,
    end: end!,
    open: open!,
    high: high!,
    low: low!,
    close: close!,
    openAt: openAt!,
    closeAt: closeAt!,
    count: count!,
    barVolume: barVolume!,
    hasBarQuote: input.u8() === 1,
    cumVolume: input.nullable(),
  }
}

/** The plain value of the layout, still to be validated. */
function readState(input: Reader): unknown {
  const schema = input.u8()
  const symbol = input.str()
  const barsVersion = input.u8()
  const barsSymbol = input.str()
  const open = Array.from({ length: input.u8() }, () => readOpenBar(input))
  const closedThroughMs = input.nullable()
  const eventTimeMs = input.nullable()
  const idCount = input.u8() | (input.u8() << 8)
  const recentIds = input.f64s(idCount)
  const recentIdsNext = input.f64()
  const volumeCarry = input.u8() === 1 ? { day: input.f64(), cumVolume: input.f64() } : null
  const bars = {
    version: barsVersion,
    symbol: barsSymbol,
    open,
    closedThroughMs,
    eventTimeMs,
    recentIds,
    recentIdsNext,
    volumeCarry,
  }
  const features = {
    version: input.u8(),
    count: input.f64(),
    lastStart: input.nullable(),
    closes: input.f64s(20),
    returns: input.f64s(20),
    volumes: input.f64s(20),
    sums: input.f64s(16),
    ema12: input.nullable(),
    ema20: input.nullable(),
    ema26: input.nullable(),
    macdSignal: input.nullable(),
    rsiGain: input.f64(),
    rsiLoss: input.f64(),
    ewmaVar: input.nullable(),
  }
  return { schema, symbol, bars, features }
}

/**
 * Decodes and validates a changelog value: the binary layout, or the JSON of older releases.
 * Never throws on bad input; the error names the byte or the field at fault.
 */
export function decodeProcessorState(bytes: Uint8Array | null): Result<ProcessorState> {
  if (bytes === null || bytes.byteLength === 0) return err('empty message')
  if (bytes[0] === 0x7b) return decodeMessage(processorStateSchema, bytes)
  if (bytes[0] !== MARKER) return err(`not a processor state: first byte 0x${bytes[0]!.toString(16)}`)
  if (bytes[1] !== ENCODING) return err(`unknown processor-state encoding ${String(bytes[1])}`)
  const input = new Reader(bytes, 2)
  let value: unknown
  try {
    value = readState(input)
  } catch (error) {
    return err(`processor state ${(error as Error).message}`)
  }
  if (input.remaining > 0) return err(`processor state has ${input.remaining} bytes after its end`)
  return validateMessage(processorStateSchema, value)
}
