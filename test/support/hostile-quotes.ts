import fc from 'fast-check'
import { encodeMessage, MAX_MESSAGE_BYTES } from '../../src/core/contracts/decode-message.ts'
import type { Quote } from '../../src/core/contracts/quote.ts'

/** A message no consumer may use, and what its dead letter's reason must say. */
export interface HostileMessage {
  readonly kind: string
  readonly key: string
  readonly value: Uint8Array | null
  readonly reason: RegExp
}

/**
 * A bad message still to be placed in a stream: it is made from the real quotes already sent
 * before its position (never empty), so that duplicates and out-of-order copies are of quotes the
 * processor has seen.
 */
export type HostileRecipe = (sent: readonly Quote[]) => HostileMessage

const DAY_MS = 86_400_000
const END_OF_EPOCH_RANGE = Date.UTC(2200, 0, 1)
const utf8 = new TextEncoder()
const field = (name: string): RegExp => new RegExp(`(^|; )${name.replace('.', '\\.')}: `)
const isJson = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const NUMBER_FIELDS = ['price', 'open', 'high', 'low', 'volume', 'asOf', 'fetchedAt', 'schema'] as const
const STRING_FIELDS = ['id', 'symbol', 'exchange', 'currency', 'kind', 'interval', 'source'] as const
const PRICE_FIELDS = ['price', 'open', 'high', 'low'] as const

const notANumber = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
)
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]))

/** A quote as a snapshot of the same price and time (a copy of a bar quote would be a duplicate). */
const asSnapshot = (quote: Quote): Quote => {
  const { interval: _interval, ...fields } = quote
  return { ...fields, kind: 'snapshot' }
}

/** The last quote sent, or one picked from the history by a fraction in [0, 1). */
const pick = (sent: readonly Quote[], fraction: number): Quote => sent[Math.floor(fraction * sent.length)]!
const last = (sent: readonly Quote[]): Quote => sent.at(-1)!
const message = (kind: string, key: string, value: Uint8Array | null, reason: RegExp): HostileMessage => ({
  kind,
  key,
  value,
  reason,
})

/**
 * Every kind of bad quote the processor must dead-letter: bytes that are not UTF-8 or not JSON,
 * wrong types, NaN and ±Infinity (as strings and as raw JSON numbers), negative and zero prices,
 * broken OHLC relations, timestamps in the future or before any real bar, payloads over the size
 * limit, unknown fields, an unknown schema version, a key that is not the symbol, empty values,
 * and duplicate or out-of-order copies of real quotes. `hugeWeight` sets how often (out of
 * about 100) a payload is over the limit: they are large, so tests keep them rare.
 */
export function hostileRecipes(options: { nowMs: number; hugeWeight?: number }): fc.Arbitrary<HostileRecipe> {
  const recipes: fc.Arbitrary<HostileRecipe>[] = [
    fc.string({ unit: 'binary', maxLength: 120 }).map((junk) => (sent) => {
      const text = `{"schema":1,${junk}`
      return message(
        'not-json',
        last(sent).symbol,
        utf8.encode(isJson(text) ? `${text}{` : text),
        /^message is not JSON: /,
      )
    }),
    fc
      .tuple(
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0x80], [0xed, 0xa0, 0x80]),
      )
      .map(([at, bad]) => (sent) => {
        const bytes = encodeMessage(last(sent))
        const cut = Math.floor(at * bytes.length)
        const value = new Uint8Array([...bytes.subarray(0, cut), ...bad, ...bytes.subarray(cut)])
        return message('invalid-utf8', last(sent).symbol, value, /^message is not valid UTF-8$/)
      }),
    fc.tuple(fc.constantFrom(...NUMBER_FIELDS), notANumber).map(([name, wrong]) => (sent) => {
      const quote = last(sent)
      return message('wrong-type', quote.symbol, encodeMessage({ ...quote, [name]: wrong }), field(name))
    }),
    fc.tuple(fc.constantFrom(...STRING_FIELDS), notAString).map(([name, wrong]) => (sent) => {
      const quote = last(sent)
      return message('wrong-type', quote.symbol, encodeMessage({ ...quote, [name]: wrong }), field(name))
    }),
    fc
      .tuple(
        fc.constantFrom(...PRICE_FIELDS, 'volume'),
        fc.constantFrom('NaN', 'Infinity', '-Infinity', 'nan', '1e999'),
      )
      .map(([name, text]) => (sent) => {
        const quote = last(sent)
        return message('nan-string', quote.symbol, encodeMessage({ ...quote, [name]: text }), field(name))
      }),
    fc
      .tuple(
        fc.constantFrom(...PRICE_FIELDS, 'volume'),
        fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-1e999'),
      )
      .map(([name, raw]) => (sent) => {
        const quote = last(sent)
        const text = JSON.stringify({ ...quote, [name]: 0.5 }).replace(`"${name}":0.5`, `"${name}":${raw}`)
        return message(
          'nan-raw',
          quote.symbol,
          utf8.encode(text),
          new RegExp(`^message is not JSON: |${field(name).source}`),
        )
      }),
    fc
      .tuple(fc.constantFrom(...PRICE_FIELDS, 'volume'), fc.double({ min: -1e12, max: 0, noNaN: true }))
      .filter(([name, value]) => name !== 'volume' || value < 0)
      .map(([name, value]) => (sent) => {
        const quote = last(sent)
        return message('negative', quote.symbol, encodeMessage({ ...quote, [name]: value }), field(name))
      }),
    fc.constantFrom('high-below-low', 'price-above-high').map((broken) => (sent) => {
      const quote = last(sent)
      const value =
        broken === 'high-below-low'
          ? { ...quote, high: (quote.low ?? quote.price) * 0.5 }
          : { ...quote, price: (quote.high ?? quote.price) * 2 }
      return message('ohlc', quote.symbol, encodeMessage(value), /(^|; )(high|price|open): must /)
    }),
    fc.integer({ min: options.nowMs + 2 * DAY_MS, max: END_OF_EPOCH_RANGE - DAY_MS }).map((at) => (sent) => {
      const quote = last(sent)
      const future = { ...quote, id: `future:${at}`, asOf: at, fetchedAt: at }
      return message('future', quote.symbol, encodeMessage(future), /future/)
    }),
    fc.integer({ min: END_OF_EPOCH_RANGE + 1, max: Number.MAX_SAFE_INTEGER }).map((at) => (sent) => {
      const quote = last(sent)
      return message(
        'far-future',
        quote.symbol,
        encodeMessage({ ...quote, asOf: at, fetchedAt: at }),
        field('asOf'),
      )
    }),
    fc.integer({ min: 1, max: 30 }).map((days) => (sent) => {
      const quote = last(sent)
      const ahead = { ...quote, id: `ahead:${days}`, asOf: quote.fetchedAt + days * DAY_MS }
      return message('asof-after-fetch', quote.symbol, encodeMessage(ahead), /is after fetchedAt/)
    }),
    fc
      .tuple(
        fc.integer({ min: 0, max: Date.UTC(1990, 0, 1) }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      )
      .map(([at, fraction]) => (sent) => {
        const quote = pick(sent, fraction)
        const day = Math.floor(at / DAY_MS) * DAY_MS
        // A snapshot: an ancient bar quote is a re-sent history (a duplicate), not a dead letter.
        const ancient = { ...asSnapshot(quote), id: `ancient:${at}`, asOf: day, fetchedAt: day + DAY_MS }
        return message('ancient', quote.symbol, encodeMessage(ancient), /^late: /)
      }),
    fc.integer({ min: -8.64e15, max: -1 }).map((at) => (sent) => {
      const quote = last(sent)
      return message('negative-time', quote.symbol, encodeMessage({ ...quote, asOf: at }), field('asOf'))
    }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((fraction) => (sent) => {
      // An identical re-send is a counted duplicate now; one that conflicts with its closed bar is late.
      const quote = pick(sent.slice(-10), fraction)
      const conflicting = { ...quote, id: `${quote.id}#conflict`, volume: (quote.volume ?? 0) + 1 }
      return message('conflicting-resend', quote.symbol, encodeMessage(conflicting), /^late: /)
    }),
    fc
      .tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat())
      .map(([fraction, salt]) => (sent) => {
        const quote = pick(sent, fraction)
        return message(
          'out-of-order',
          quote.symbol,
          encodeMessage({ ...asSnapshot(quote), id: `${quote.id}#${salt}` }),
          /^late: /,
        )
      }),
    fc.stringMatching(/^[A-Z]{1,6}$/).map((other) => (sent) => {
      const quote = last(sent)
      const key = other === quote.symbol ? `${other}X` : other
      return message('key-mismatch', key, encodeMessage(quote), /is not the quote's symbol/)
    }),
    fc
      .boolean()
      .map(
        (isNull) => (sent) =>
          message('empty', last(sent).symbol, isNull ? null : new Uint8Array(0), /^empty message$/),
      ),
    fc.string({ minLength: 1, maxLength: 20 }).map((name) => (sent) => {
      const quote = last(sent)
      const value = encodeMessage({ ...quote, [`x-${name}`]: 1 })
      return message('extra-field', quote.symbol, value, /Unrecognized key/)
    }),
    fc.integer({ min: 2, max: 1000 }).map((version) => (sent) => {
      const quote = last(sent)
      return message(
        'schema-version',
        quote.symbol,
        encodeMessage({ ...quote, schema: version }),
        field('schema'),
      )
    }),
    fc.stringMatching(/^[a-z][a-z0-9 ]{0,10}$/).map((symbol) => (sent) => {
      const quote = last(sent)
      return message('bad-symbol', quote.symbol, encodeMessage({ ...quote, symbol }), field('symbol'))
    }),
  ]
  const huge = fc
    .integer({ min: MAX_MESSAGE_BYTES + 1, max: 700_000 })
    .map((size) => (sent: readonly Quote[]) => {
      const quote = last(sent)
      const head = JSON.stringify({ ...quote, padding: '' })
      const padded = `${head.slice(0, -2)}${'x'.repeat(Math.max(0, size - head.length))}"}`
      return message('huge', quote.symbol, utf8.encode(padded), /exceeds the 262144-byte limit/)
    })
  return fc.oneof(...recipes.map((arbitrary) => ({ arbitrary, weight: 5 })), {
    arbitrary: huge,
    weight: options.hugeWeight ?? 0,
  })
}

/** A real stream with `count` bad messages at seeded random places after the first real quote. */
export function saltStream(
  real: readonly Quote[],
  recipes: readonly HostileRecipe[],
  random: () => number,
): { key: string; value: Uint8Array | null; bad?: HostileMessage }[] {
  const places = recipes.map(() => 1 + Math.floor(random() * real.length)).sort((a, b) => a - b)
  const stream: { key: string; value: Uint8Array | null; bad?: HostileMessage }[] = []
  let next = 0
  for (let index = 0; index < real.length; index++) {
    const quote = real[index]!
    stream.push({ key: quote.symbol, value: encodeMessage(quote) })
    while (places[next] === index + 1) {
      const bad = recipes[next]!(real.slice(Math.max(0, index - 200), index + 1))
      stream.push({ key: bad.key, value: bad.value, bad })
      next++
    }
  }
  return stream
}
