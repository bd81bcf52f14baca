import { readFloat64s, readUtf8 } from '../contracts/binary-value.ts'

/**
 * Reads back what `ValueWriter` wrote, call for call: the header by offset, then the float64s and
 * the texts each from a cursor. The numbers are copied once (a value may lie at any offset of a
 * fetched buffer, and float64 reads need alignment). Texts that run past the end or are not UTF-8
 * read as undefined; a reader never throws on the bytes it is given.
 */
export class ValueReader {
  readonly #bytes: Uint8Array
  readonly #header: DataView
  #numbers: Float64Array = new Float64Array(0)
  #k = 0
  #textAt = 0
  /** Presence bits of the nullable numbers that `nullable` reads. */
  presence = 0

  /** A reader of the header of `bytes`, which must hold `headerBytes` of them. */
  constructor(bytes: Uint8Array, headerBytes: number) {
    this.#bytes = bytes
    this.#header = new DataView(bytes.buffer, bytes.byteOffset, headerBytes)
    this.#textAt = headerBytes
  }

  u8(offset: number): number {
    return this.#header.getUint8(offset)
  }

  u16(offset: number): number {
    return this.#header.getUint16(offset, true)
  }

  u32(offset: number): number {
    return this.#header.getUint32(offset, true)
  }

  /** Takes the `count` float64s after the header; the texts start after them. */
  beginNumbers(count: number): void {
    const at = this.#textAt
    this.#numbers = readFloat64s(this.#bytes, at, count)
    this.#k = 0
    this.#textAt = at + count * 8
  }

  float64(): number {
    return this.#numbers[this.#k++]!
  }

  /** What `ValueWriter.nullable` wrote: null unless its presence bit `bit` is set. */
  nullable(bit: number): number | null {
    const value = this.#numbers[this.#k++]!
    return (this.presence & bit) === 0 ? null : value
  }

  /** What `ValueWriter.finiteOrNaN` wrote: null for NaN. */
  nanAsNull(): number | null {
    const value = this.#numbers[this.#k++]!
    return Number.isNaN(value) ? null : value
  }

  /** The next `length` numbers as an array (a loop: `Array.from` of a subarray costs more). */
  float64s(length: number): number[] {
    const f = this.#numbers
    const k = this.#k
    const values: number[] = []
    for (let i = 0; i < length; i++) values.push(f[k + i]!)
    this.#k = k + length
    return values
  }

  /** The next `length` numbers as a copy of their own. */
  float64Array(length: number): Float64Array {
    const values = this.#numbers.slice(this.#k, this.#k + length)
    this.#k += length
    return values
  }

  /** The index in `numbers` of the next `count` float64s, which the caller reads there itself. */
  take(count: number): number {
    const k = this.#k
    this.#k = k + count
    return k
  }

  /** The value's float64s, for `take`. */
  get numbers(): Float64Array {
    return this.#numbers
  }

  /** Bytes not yet read after the numbers. */
  get remainingBytes(): number {
    return this.#bytes.byteLength - this.#textAt
  }

  /** The next `byteLength` bytes as UTF-8, with no length before them. */
  text(byteLength: number): string | undefined {
    const at = this.#textAt
    if (at + byteLength > this.#bytes.byteLength) return undefined
    this.#textAt = at + byteLength
    return readUtf8(this.#bytes, at, at + byteLength)
  }

  /** The next text after its u16 byte count: a string, or why there is none. */
  prefixedText(): string | { readonly error: 'cut off' | 'not UTF-8' } {
    const bytes = this.#bytes
    const at = this.#textAt
    if (at + 2 > bytes.byteLength) return { error: 'cut off' }
    const end = at + 2 + (bytes[at]! | (bytes[at + 1]! << 8))
    if (end > bytes.byteLength) return { error: 'cut off' }
    const text = readUtf8(bytes, at + 2, end)
    if (text === undefined) return { error: 'not UTF-8' }
    this.#textAt = end
    return text
  }
}
