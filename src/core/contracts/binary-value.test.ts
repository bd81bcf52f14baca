import assert from 'node:assert/strict'
import { test } from 'node:test'
import { float64sToLittleEndian, readFloat64s, readUtf8, utf8Length, writeUtf8 } from './binary-value.ts'

test('texts round-trip as UTF-8, ASCII or not; bytes that are not UTF-8 read as undefined', () => {
  for (const text of ['AAPL', 'TEST.PS', 'ÄÖ€', 'x'.repeat(100)]) {
    const bytes = new Uint8Array(utf8Length(text) + 3)
    assert.equal(writeUtf8(bytes, 3, text), new TextEncoder().encode(text).length)
    assert.equal(readUtf8(bytes, 3, bytes.length), text)
  }
  assert.equal(readUtf8(new Uint8Array([0x41, 0xff]), 0, 2), undefined)
})

test('float64s read back exactly from any offset of a buffer', () => {
  const values = [Math.PI, -0, Number.NaN, 1e-300]
  const bytes = new Uint8Array(3 + values.length * 8)
  const aligned = new Uint8Array(new Float64Array(values).buffer)
  float64sToLittleEndian(aligned, 0, values.length)
  bytes.set(aligned, 3)
  assert.deepEqual([...readFloat64s(bytes, 3, values.length)], values)
})
