import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { utf8Length } from '../contracts/binary-value.ts'
import { encodeValues } from './encode-values.ts'
import { ValueReader } from './value-reader.ts'
import type { ValueWriter } from './value-writer.ts'

const HEADER_BYTES = 8

/** One write and the read that mirrors it. */
type Field =
  | { readonly kind: 'float64'; readonly value: number }
  | { readonly kind: 'nullable'; readonly value: number | null; readonly bit: number }
  | { readonly kind: 'finiteOrNaN'; readonly value: number | null }
  | { readonly kind: 'float64s'; readonly values: Float64Array }

interface Value {
  readonly tag: number
  readonly fields: readonly Field[]
  readonly texts: readonly string[]
  readonly prefixed: readonly string[]
}

/** Any double, its special values often: they are where a codec goes wrong. */
const double = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    Number.MIN_VALUE,
    -Number.MAX_VALUE,
  ),
  fc.double(),
)
const field: fc.Arbitrary<Field> = fc.oneof(
  double.map((value) => ({ kind: 'float64' as const, value })),
  fc
    .tuple(fc.option(double.filter((x) => !Number.isNaN(x))), fc.integer({ min: 0, max: 30 }))
    .map(([value, shift]) => ({ kind: 'nullable' as const, value, bit: 1 << shift })),
  double.map((value) => ({ kind: 'finiteOrNaN' as const, value })),
  // Short runs are written in a loop, long ones with `set`.
  fc
    .oneof(fc.array(double, { maxLength: 12 }), fc.array(double, { minLength: 33, maxLength: 80 }))
    .map((values) => ({ kind: 'float64s' as const, values: Float64Array.from(values) })),
)
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
const value: fc.Arbitrary<Value> = fc
  .tuple(
    fc.integer({ min: 0, max: 0xffff }),
    fc.array(field, { maxLength: 12 }),
    fc.array(text, { maxLength: 4 }),
    fc.array(text, { maxLength: 4 }),
  )
  .map(([tag, fields, texts, prefixed]) => ({ tag, fields, texts, prefixed }))

const countOf = (v: Value): number =>
  v.fields.reduce((sum, f) => sum + (f.kind === 'float64s' ? f.values.length : 1), 0)
const sizeOf = (v: Value): number =>
  HEADER_BYTES +
  countOf(v) * 8 +
  v.texts.reduce((sum, t) => sum + utf8Length(t), 0) +
  v.prefixed.reduce((sum, t) => sum + 2 + utf8Length(t), 0)

function write(v: Value, w: ValueWriter, at: number, size: number): Uint8Array {
  w.begin(at, size, HEADER_BYTES, countOf(v))
  for (const f of v.fields) {
    if (f.kind === 'float64') w.float64(f.value)
    else if (f.kind === 'nullable') w.nullable(f.value, f.bit)
    else if (f.kind === 'finiteOrNaN') w.finiteOrNaN(f.value ?? Number.NaN)
    else w.float64s(f.values)
  }
  for (const t of v.texts) w.text(t, utf8Length(t))
  for (const t of v.prefixed) w.prefixedText(t, utf8Length(t))
  w.u16(0, v.tag)
  w.u32(4, w.presence)
  return w.end()
}

/** What reading `bytes` as `v`'s layout gives, in the shape of `v`. */
function read(bytes: Uint8Array, v: Value): Value {
  const r = new ValueReader(bytes, HEADER_BYTES)
  r.presence = r.u32(4)
  r.beginNumbers(countOf(v))
  const fields = v.fields.map((f): Field => {
    if (f.kind === 'float64') return { kind: f.kind, value: r.float64() }
    if (f.kind === 'nullable') return { kind: f.kind, value: r.nullable(f.bit), bit: f.bit }
    if (f.kind === 'finiteOrNaN') return { kind: f.kind, value: r.nanAsNull() }
    return { kind: f.kind, values: r.float64Array(f.values.length) }
  })
  const texts = v.texts.map((t) => r.text(utf8Length(t)) ?? 'not UTF-8')
  const prefixed = v.prefixed.map((): string => {
    const t = r.prefixedText()
    return typeof t === 'string' ? t : t.error
  })
  assert.equal(r.remainingBytes, 0)
  return { tag: r.u16(0), fields, texts, prefixed }
}

/** `v` as a reader gives it back: absent nullables and non-finite numbers read as null. */
function expected(v: Value): Value {
  return {
    ...v,
    fields: v.fields.map((f) => {
      if (f.kind === 'finiteOrNaN')
        return { ...f, value: f.value !== null && Number.isFinite(f.value) ? f.value : null }
      if (f.kind !== 'nullable' || f.value !== null) return f
      // A bit another present nullable set reads the written 0.
      const isSetElsewhere = v.fields.some(
        (o) => o.kind === 'nullable' && o.value !== null && o.bit === f.bit,
      )
      return { ...f, value: isSetElsewhere ? 0 : null }
    }),
  }
}

test('what a writer writes, a reader reads back call for call, bit for bit, wherever the value lies', () => {
  fc.assert(
    fc.property(fc.array(value, { maxLength: 5 }), fc.integer({ min: 0, max: 7 }), (values, shift) => {
      const encoded = encodeValues(values, values.map(sizeOf), write)
      assert.deepEqual(
        encoded.map((bytes) => bytes.byteLength),
        values.map(sizeOf),
      )
      for (const [index, bytes] of encoded.entries()) {
        const v = values[index]!
        const moved = new Uint8Array(bytes.length + shift).subarray(shift)
        moved.set(bytes)
        assert.deepEqual(read(moved, v), expected(v))
        assert.deepEqual(read(bytes, v), expected(v))
      }
    }),
    { seed: 17_2026, numRuns: 300 },
  )
})

test('a value written short or long is the codec’s bug: end throws, naming the numbers or bytes', () => {
  const one: Value = { tag: 1, fields: [{ kind: 'float64', value: 1 }], texts: ['ab'], prefixed: [] }
  assert.throws(
    () =>
      encodeValues([one], [sizeOf(one)], (_, w, at, size) => (w.begin(at, size, HEADER_BYTES, 2), w.end())),
    /wrote 0 of 2 numbers/,
  )
  assert.throws(
    () =>
      encodeValues([one], [sizeOf(one)], (_, w, at, size) => {
        w.begin(at, size, HEADER_BYTES, 1)
        w.float64(1)
        return w.end()
      }),
    /wrote 16 of 18 bytes/,
  )
})

test('a text running past the end or not UTF-8 reads as an error, never a throw', () => {
  const bytes = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0x61)
  const cut = new ValueReader(bytes, HEADER_BYTES)
  cut.beginNumbers(0)
  assert.deepEqual(cut.prefixedText(), { error: 'cut off' })
  assert.equal(cut.text(4), undefined)
  const bad = new ValueReader(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0xff), HEADER_BYTES)
  bad.beginNumbers(0)
  assert.deepEqual(bad.prefixedText(), { error: 'not UTF-8' })
})
