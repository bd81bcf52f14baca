import { ValueWriter } from './value-writer.ts'

const align8 = (size: number): number => (size + 7) & ~7

/**
 * The values of several items in one allocation, each starting 8-byte aligned: a batch writes one
 * per changed symbol, and thousands of small buffers are work for the GC. `sizes[i]` is the byte
 * size of item i's value; `write` writes it between `writer.begin` and `writer.end`.
 */
export function encodeValues<T>(
  items: readonly T[],
  sizes: readonly number[],
  write: (item: T, writer: ValueWriter, at: number, size: number, index: number) => Uint8Array,
): Uint8Array[] {
  const buffer = new ArrayBuffer(sizes.reduce((sum, size) => sum + align8(size), 0))
  const writer = new ValueWriter(buffer)
  let at = 0
  return items.map((item, index) => {
    const size = sizes[index]!
    const value = write(item, writer, at, size, index)
    at += align8(size)
    return value
  })
}
