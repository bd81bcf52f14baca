// What the binary changelog values (processor-state, models) share: float64s in little-endian
// order after a header, then short UTF-8 texts such as symbols.

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
const utf8 = new TextEncoder()
const utf8Strict = new TextDecoder('utf-8', { fatal: true })

/** Bytes of `text` in UTF-8; symbols and names are ASCII, which skips the encoder. */
export function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return utf8.encode(text).length
  return text.length
}

/** Writes `text` as UTF-8 at `at` (ASCII byte by byte); returns the bytes written. */
export function writeUtf8(bytes: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0x80) return utf8.encodeInto(text, bytes.subarray(at)).written
    bytes[at + i] = code
  }
  return text.length
}

/** The UTF-8 text from `start` to `end`, undefined when it is not UTF-8; short ASCII skips the decoder. */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start <= 64) {
    let text = ''
    for (let i = start; i < end && bytes[i]! < 0x80; i++) text += String.fromCharCode(bytes[i]!)
    if (text.length === end - start) return text
  }
  try {
    return utf8Strict.decode(bytes.subarray(start, end))
  } catch {
    return undefined
  }
}

/** Puts the `count` float64s written natively from `at` in little-endian order (a no-op on most hosts). */
export function float64sToLittleEndian(bytes: Uint8Array, at: number, count: number): void {
  if (isLittleEndian) return
  for (let end = at + count * 8; at < end; at += 8) bytes.subarray(at, at + 8).reverse()
}

/**
 * The `count` little-endian float64s from `at`, copied: a value may sit at any offset of a fetched
 * buffer, and float64 reads need alignment.
 */
export function readFloat64s(bytes: Uint8Array, at: number, count: number): Float64Array {
  const numbers = bytes.slice(at, at + count * 8)
  float64sToLittleEndian(numbers, 0, count)
  return new Float64Array(numbers.buffer)
}
