import { float64sToLittleEndian, writeUtf8 } from '../contracts/binary-value.ts'

/**
 * Writes binary values (a header, then float64s, then texts) into one buffer, a value at a time:
 * `begin` places a value, each write advances its cursor, and `end` checks that the value was
 * filled exactly. `ValueReader` reads the same calls back in the same order. The float64s are
 * written through one view of the whole buffer, so every value must start 8-byte aligned in it
 * (`encodeValues` places them so).
 */
export class ValueWriter {
  readonly #bytes: Uint8Array
  readonly #header: DataView
  readonly #numbers: Float64Array
  #start = 0
  #size = 0
  #numbersAt = 0
  #numberCount = 0
  #k = 0
  #textAt = 0
  /** Presence bits of the nullable numbers written with `nullable` since `begin`. */
  presence = 0

  constructor(buffer: ArrayBuffer) {
    this.#bytes = new Uint8Array(buffer)
    this.#header = new DataView(buffer)
    this.#numbers = new Float64Array(buffer, 0, buffer.byteLength >>> 3)
  }

  /** Starts the value of `size` bytes at `at`: its header, `count` float64s, then its texts. */
  begin(at: number, size: number, headerBytes: number, count: number): void {
    if (at % 8 !== 0) throw new Error('ValueWriter: a value must start 8-byte aligned')
    this.#start = at
    this.#size = size
    this.#numbersAt = at + headerBytes
    this.#numberCount = count
    this.#k = (at + headerBytes) >>> 3
    this.#textAt = at + headerBytes + count * 8
    this.presence = 0
  }

  u8(offset: number, value: number): void {
    this.#header.setUint8(this.#start + offset, value)
  }

  u16(offset: number, value: number): void {
    this.#header.setUint16(this.#start + offset, value, true)
  }

  u32(offset: number, value: number): void {
    this.#header.setUint32(this.#start + offset, value, true)
  }

  float64(value: number): void {
    this.#numbers[this.#k++] = value
  }

  /** A number that may be absent: 0 when it is, with its presence bit `bit` set when it is not. */
  nullable(value: number | null, bit: number): void {
    this.#numbers[this.#k++] = value ?? 0
    if (value !== null) this.presence |= bit
  }

  /** A number that NaN stands for when it is absent or not finite. */
  finiteOrNaN(value: number): void {
    this.#numbers[this.#k++] = Number.isFinite(value) ? value : Number.NaN
  }

  float64s(values: ArrayLike<number>): void {
    const f = this.#numbers
    const k = this.#k
    // `set` for long typed runs only: it costs more than a loop over a dozen numbers, or an array.
    if (values.length > 32 && values instanceof Float64Array) f.set(values, k)
    else for (let i = 0; i < values.length; i++) f[k + i] = values[i]!
    this.#k = k + values.length
  }

  /** `text`, `byteLength` bytes of UTF-8, with no length before it (the header says it). */
  text(text: string, byteLength: number): void {
    writeUtf8(this.#bytes, this.#textAt, text)
    this.#textAt += byteLength
  }

  /** `text`, `byteLength` bytes of UTF-8, after its u16 byte count. */
  prefixedText(text: string, byteLength: number): void {
    const bytes = this.#bytes
    const at = this.#textAt
    bytes[at] = byteLength & 0xff
    bytes[at + 1] = byteLength >>> 8
    writeUtf8(bytes, at + 2, text)
    this.#textAt = at + 2 + byteLength
  }

  /** Bytes already encoded, such as prefixed texts that every value of a layout repeats. */
  raw(bytes: Uint8Array): void {
    this.#bytes.set(bytes, this.#textAt)
    this.#textAt += bytes.length
  }

  /** The value written since `begin`; throws when it is not exactly filled (a codec's own bug). */
  end(): Uint8Array {
    const written = this.#k - (this.#numbersAt >>> 3)
    if (written !== this.#numberCount)
      throw new Error(`ValueWriter: wrote ${written} of ${this.#numberCount} numbers`)
    if (this.#textAt !== this.#start + this.#size)
      throw new Error(`ValueWriter: wrote ${this.#textAt - this.#start} of ${this.#size} bytes`)
    const value = this.#bytes.subarray(this.#start, this.#start + this.#size)
    float64sToLittleEndian(this.#bytes, this.#numbersAt, this.#numberCount)
    return value
  }
}
