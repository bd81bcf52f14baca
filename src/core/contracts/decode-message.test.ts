import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { decodeMessage, encodeMessage, MAX_MESSAGE_BYTES } from './decode-message.ts'
import { EXAMPLES } from '../../../test/fixtures/contracts/examples.ts'
import { CONTRACTS, contractJsonSchemas } from './json-schemas.ts'

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))
const names = Object.keys(CONTRACTS) as (keyof typeof CONTRACTS)[]

describe('every contract', () => {
  for (const name of names) {
    test(`${name}: a valid example decodes to itself`, () => {
      const result = decodeMessage(CONTRACTS[name], encodeMessage(EXAMPLES[name]))
      assert.deepEqual(result, { ok: true, value: EXAMPLES[name] })
    })

    test(`${name}: a missing schema version, unknown field and wrong schema version are rejected`, () => {
      const { schema: _version, ...withoutVersion } = EXAMPLES[name]
      assert.match(errorOf(decodeMessage(CONTRACTS[name], encode(withoutVersion))), /^schema: /)
      assert.match(
        errorOf(decodeMessage(CONTRACTS[name], encode({ ...EXAMPLES[name], schema: 999 }))),
        /^schema: /,
      )
      assert.match(errorOf(decodeMessage(CONTRACTS[name], encode({ ...EXAMPLES[name], extra: 1 }))), /extra/)
    })

    test(`${name}: hostile bytes are errors, never exceptions`, () => {
      const hostile: (Uint8Array | null)[] = [
        null,
        new Uint8Array(),
        new TextEncoder().encode('not json'),
        new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]),
        encode(null),
        encode([]),
        encode('a string'),
        encode(42),
        new Uint8Array(MAX_MESSAGE_BYTES + 1).fill(0x20),
      ]
      for (const bytes of hostile) assert.equal(decodeMessage(CONTRACTS[name], bytes).ok, false)
    })

    test(`${name}: docs/schemas is generated from the current contract`, () => {
      const file = join(import.meta.dirname, '..', '..', '..', 'docs', 'schemas', `${name}.schema.json`)
      assert.deepEqual(
        JSON.parse(readFileSync(file, 'utf8')),
        contractJsonSchemas()[name],
        'run `npm run schemas`',
      )
    })
  }
})

describe('quote', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['zero price', { price: 0 }, /^price: /],
    ['negative price', { price: -1 }, /^price: /],
    ['NaN price (null in JSON)', { price: null }, /^price: /],
    ['string price', { price: '64.9' }, /^price: .*number/],
    ['fractional timestamp', { asOf: 1.5 }, /^asOf: /],
    ['ISO timestamp instead of epoch ms', { asOf: '2013-05-13T00:00:00Z' }, /^asOf: /],
    ['timestamp past 2200', { asOf: 8e12 }, /^asOf: /],
    ['lower-case symbol', { symbol: 'aapl' }, /^symbol: /],
    ['huge symbol', { symbol: 'A'.repeat(10_000) }, /^symbol: /],
    ['bad currency', { currency: 'dollars' }, /^currency: /],
    ['bar without interval', { interval: undefined }, /^interval: is required/],
    ['high below low', { high: 60, low: 61 }, /^high: must not be below low/],
    ['close above high', { price: 70 }, /^price: must lie between low and high/],
    ['negative volume', { volume: -5 }, /^volume: /],
  ]
  for (const [why, change, expected] of bad) {
    test(`rejects ${why}`, () => {
      assert.match(
        errorOf(decodeMessage(CONTRACTS.quote, encode({ ...EXAMPLES.quote, ...change }))),
        expected,
      )
    })
  }

  test('Infinity cannot sneak in through JSON (it encodes as null)', () => {
    assert.equal(decodeMessage(CONTRACTS.quote, encode({ ...EXAMPLES.quote, price: Infinity })).ok, false)
  })

  test('a live snapshot needs no interval or OHLC', () => {
    const { interval: _i, open: _o, high: _h, low: _l, ...snapshot } = EXAMPLES.quote
    assert.equal(decodeMessage(CONTRACTS.quote, encode({ ...snapshot, kind: 'snapshot' })).ok, true)
  })
})

describe('other contracts', () => {
  test('a bar must end after it starts', () => {
    assert.match(
      errorOf(decodeMessage(CONTRACTS.bar, encode({ ...EXAMPLES.bar, end: EXAMPLES.bar.start }))),
      /^end: /,
    )
  })

  test('a prediction band must be ordered and positive', () => {
    const intervals = { p80: { lower: 66, upper: 63 }, p95: { lower: 63.2, upper: 66.8 } }
    assert.match(
      errorOf(decodeMessage(CONTRACTS.prediction, encode({ ...EXAMPLES.prediction, intervals }))),
      /^intervals\.p80\.upper: /,
    )
  })

  test('feature values are finite numbers or null', () => {
    const row = { ...EXAMPLES['feature-row'], values: { r1: 'x' } }
    assert.match(errorOf(decodeMessage(CONTRACTS['feature-row'], encode(row))), /^values\.r1: /)
  })

  test('a model snapshot names at least one model', () => {
    const snapshot = { ...EXAMPLES['model-snapshot'], models: [] }
    assert.match(errorOf(decodeMessage(CONTRACTS['model-snapshot'], encode(snapshot))), /^models: /)
  })
})

function errorOf(result: { ok: boolean; error?: string }): string {
  assert.equal(result.ok, false, 'expected a decoding error')
  return result.error ?? ''
}
