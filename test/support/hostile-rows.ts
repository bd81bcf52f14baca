import fc from 'fast-check'
import { encodeMessage, MAX_MESSAGE_BYTES } from '../../src/core/contracts/decode-message.ts'
import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import type { HostileMessage } from './hostile-quotes.ts'

const utf8 = new TextEncoder()
const field = (name: string): RegExp => new RegExp(`(^|; )${name}(\\.|: )`)

/**
 * Feature rows the trainer must dead-letter, made from a real row: bytes that are not UTF-8 or
 * JSON, wrong types, NaN and ±Infinity, a non-positive close, unknown fields and versions, a key
 * that is not the symbol, empty values and payloads over the size limit. (A well-formed row at or
 * before the last trained bar is not bad input: the trainer skips it, so replays are idempotent.)
 */
export function hostileRows(row: FeatureRow): fc.Arbitrary<HostileMessage> {
  const bad = (kind: string, value: Uint8Array | null, reason: RegExp, key = row.symbol): HostileMessage => ({
    kind,
    key,
    value,
    reason,
  })
  return fc.oneof(
    fc
      .string({ unit: 'binary', maxLength: 80 })
      .map((junk) => bad('not-json', utf8.encode(`{"values":${junk}`), /^message is not JSON: /)),
    fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]).map((bytes) => {
      const text = encodeMessage(row)
      return bad(
        'invalid-utf8',
        new Uint8Array([...text.subarray(0, 20), ...bytes, ...text.subarray(20)]),
        /^message is not valid UTF-8$/,
      )
    }),
    fc
      .tuple(
        fc.constantFrom(
          'barStart',
          'barEnd',
          'close',
          'gapBars',
          'featureVersion',
          'symbol',
          'interval',
          'values',
        ),
        fc.oneof(fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.constant([1])),
      )
      .filter(
        ([name, value]) =>
          !(name === 'symbol' && typeof value === 'string' && /^[A-Z0-9^][A-Z0-9.^=_-]*$/.test(value)),
      )
      .filter(
        ([name, value]) =>
          !(
            name === 'interval' &&
            typeof value === 'string' &&
            ['1m', '5m', '15m', '30m', '1h', '1d'].includes(value)
          ),
      )
      .map(([name, value]) => bad('wrong-type', encodeMessage({ ...row, [name]: value }), field(name))),
    // zod drops a record key "__proto__" (and its value) instead of failing: not a bad row then.
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((name) => name !== '__proto__'),
        fc.constantFrom('NaN', 'Infinity', '-Infinity'),
      )
      .map(([name, text]) =>
        bad(
          'nan-string',
          encodeMessage({ ...row, values: { ...row.values, [name]: text } }),
          field('values'),
        ),
      ),
    fc.constantFrom('1e999', '-1e999', 'NaN').map((raw) => {
      const text = JSON.stringify({ ...row, close: 0.5 }).replace('"close":0.5', `"close":${raw}`)
      return bad('nan-raw', utf8.encode(text), /^message is not JSON: |(^|; )close: /)
    }),
    fc
      .double({ min: -1e9, max: 0, noNaN: true })
      .map((close) => bad('negative', encodeMessage({ ...row, close }), field('close'))),
    fc
      .integer({ min: 2, max: 99 })
      .map((version) => bad('schema-version', encodeMessage({ ...row, schema: version }), field('schema'))),
    fc
      .string({ minLength: 1, maxLength: 12 })
      .map((name) => bad('extra-field', encodeMessage({ ...row, [`x-${name}`]: 0 }), /Unrecognized key/)),
    fc
      .stringMatching(/^[A-Z]{1,5}$/)
      .map((other) =>
        bad(
          'key-mismatch',
          encodeMessage(row),
          /is not the row's symbol/,
          other === row.symbol ? `${other}Q` : other,
        ),
      ),
    fc.boolean().map((isNull) => bad('empty', isNull ? null : new Uint8Array(0), /^empty message$/)),
    fc
      .integer({ min: MAX_MESSAGE_BYTES + 1, max: 400_000 })
      .map((size) =>
        bad('huge', utf8.encode(`{"pad":"${'y'.repeat(size)}"}`), /exceeds the 262144-byte limit/),
      ),
  )
}
