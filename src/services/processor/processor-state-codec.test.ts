import assert from 'node:assert/strict'
import { test } from 'node:test'
import { applyQuote } from '../../core/bars/apply-quote.ts'
import { resolveBarConfig } from '../../core/bars/resolve-bar-config.ts'
import { encodeMessage } from '../../core/contracts/decode-message.ts'
import { FEATURE_SLOT, fromFeatureStateJson, toFeatureStateJson } from '../../core/features/feature-state.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import { bundledSeries } from '../../../test/support/bundled-quotes.ts'
import { createProcessorState, type ProcessorState } from './processor-state.ts'
import { decodeProcessorState, encodeProcessorState, encodeProcessorStates } from './processor-state-codec.ts'

const resolved = resolveBarConfig({ interval: '1d' })
if (!resolved.ok) throw new Error(resolved.error)
const barConfig = resolved.value

/** The states of a real series after 0, 1, 2, 25 and all of its quotes. */
async function realStates(): Promise<ProcessorState[]> {
  const { quotes } = await bundledSeries('aapl')
  const state = createProcessorState(quotes[0]!.symbol)
  const states = [structuredClone(state)]
  for (const [index, quote] of quotes.entries()) {
    // Both steps change the state in place: keep copies of it.
    for (const bar of applyQuote(state.bars, quote, barConfig).completed) nextFeatures(state.features, bar)
    if ([0, 1, 24, quotes.length - 1].includes(index)) states.push(structuredClone(state))
  }
  return states
}

test('a state decodes to exactly what was encoded, from empty to a full dedup ring, under 4 KiB', async () => {
  for (const state of await realStates()) {
    const bytes = encodeProcessorState(state)
    assert.ok(bytes.byteLength < 4096, `${bytes.byteLength} bytes`)
    assert.deepEqual(decodeProcessorState(bytes), { ok: true, value: state })
  }
})

test('states encoded together are the bytes of each encoded alone, and decode from where they lie', async () => {
  const states = await realStates()
  const values = encodeProcessorStates(states)
  assert.deepEqual(values, states.map(encodeProcessorState))
  for (const [index, value] of values.entries()) {
    assert.deepEqual(decodeProcessorState(value), { ok: true, value: states[index] })
    // Shifted off the 8-byte alignment, as a value inside a fetched buffer may be.
    const shifted = new Uint8Array(value.length + 1).subarray(1)
    shifted.set(value)
    assert.deepEqual(decodeProcessorState(shifted), { ok: true, value: states[index] })
  }
  assert.deepEqual(encodeProcessorStates([]), [])
})

test('open bars, a volume carry, nulls and -0 survive the round trip', () => {
  const empty = createProcessorState('BRK.B')
  const state: ProcessorState = {
    ...empty,
    bars: {
      ...empty.bars,
      open: [
        {
          start: 0,
          end: 86_400_000,
          open: 1.5,
          high: 2,
          low: 1,
          close: 1.75,
          openAt: 10,
          closeAt: 20,
          count: 3,
          barVolume: 0,
          hasBarQuote: false,
          cumVolume: null,
        },
        {
          start: 86_400_000,
          end: 172_800_000,
          open: 1.75,
          high: 1.75,
          low: 1.75,
          close: 1.75,
          openAt: 86_400_001,
          closeAt: 86_400_001,
          count: 1,
          barVolume: 12.5,
          hasBarQuote: true,
          cumVolume: 1e9,
        },
      ],
      eventTimeMs: -5,
      volumeCarry: { day: 19_000, cumVolume: 123_456 },
    },
    features: fromFeatureStateJson({ ...toFeatureStateJson(empty.features), rsiGain: -0, ewmaVar: 0.0004 }),
  }
  const decoded = decodeProcessorState(encodeProcessorState(state))
  assert.deepEqual(decoded, { ok: true, value: state })
  assert.ok(decoded.ok)
  assert.ok(Object.is(decoded.value.features.data[FEATURE_SLOT.rsiGain], -0))
  assert.equal(toFeatureStateJson(decoded.value.features).lastStart, null)
})

test('a decoded state is not frozen: changed in place, it continues as the encoded one does', async () => {
  const { quotes } = await bundledSeries('aapl')
  const original = createProcessorState(quotes[0]!.symbol)
  const advance = (state: ProcessorState, quote: (typeof quotes)[number]): string[] =>
    applyQuote(state.bars, quote, barConfig).completed.map((bar) =>
      JSON.stringify(nextFeatures(state.features, bar).row),
    )
  for (const quote of quotes.slice(0, 100)) advance(original, quote)
  const json = encodeMessage({ ...original, features: toFeatureStateJson(original.features) })
  for (const bytes of [encodeProcessorState(original), json]) {
    const decoded = decodeProcessorState(bytes)
    assert.ok(decoded.ok)
    const copy = structuredClone(original)
    for (const quote of quotes.slice(100, 200))
      assert.deepEqual(advance(decoded.value, quote), advance(copy, quote))
    assert.deepEqual(decoded.value, copy)
  }
})

test('the JSON of older releases is still restored', async () => {
  const state = (await realStates()).at(-1)!
  const json = encodeMessage({ ...state, features: toFeatureStateJson(state.features) })
  assert.deepEqual(decodeProcessorState(json), { ok: true, value: state })
})

test('a broken value is an error naming what is wrong, never a throw', () => {
  const bytes = encodeProcessorState(createProcessorState('AAPL'))
  const withCount = (count: number): Uint8Array => {
    const state = createProcessorState('AAPL')
    const features = fromFeatureStateJson({ ...toFeatureStateJson(state.features), count })
    return encodeProcessorState({ ...state, features })
  }
  const withHeaderByte = (source: Uint8Array, at: number, value: number): Uint8Array => {
    const copy = source.slice()
    copy[at] = value
    return copy
  }
  const withOpenBarFlag = (flag: number): Uint8Array => {
    const state = createProcessorState('AAPL')
    const bar = { start: 0, end: 1, open: 1, high: 1, low: 1, close: 1, openAt: 0, closeAt: 0 }
    const open = [{ ...bar, count: 1, barVolume: 0, hasBarQuote: true, cumVolume: null }]
    const encoded = encodeProcessorState({ ...state, bars: { ...state.bars, open } })
    new DataView(encoded.buffer).setFloat64(16 + 10 * 8, flag, true)
    return encoded
  }
  const cases: [string, Uint8Array | null, string][] = [
    ['null', null, 'empty message'],
    ['empty', new Uint8Array(0), 'empty message'],
    ['other bytes', new Uint8Array([1, 2, 3]), 'not a processor state: first byte 0x1'],
    ['a newer encoding', new Uint8Array([0xb5, 9]), 'unknown processor-state encoding 9'],
    ['no header', bytes.subarray(0, 9), 'processor state of 9 bytes lacks its header'],
    ['truncated', bytes.subarray(0, 40), `processor state of 40 bytes, its header says ${bytes.length}`],
    [
      'trailing bytes',
      new Uint8Array([...bytes, 0]),
      `processor state of ${bytes.length + 1} bytes, its header says ${bytes.length}`,
    ],
    ['three open bars', withHeaderByte(bytes, 5, 3), 'processor state with 3 open bars'],
    [
      'a flag that is not 0 or 1',
      withOpenBarFlag(2),
      'bars.open.0.hasBarQuote: Invalid input: expected boolean',
    ],
    ['a field out of its schema', withCount(-1), 'features.count: Too small: expected number to be >=0'],
    [
      'a fraction where an integer belongs',
      withCount(1.5),
      'features.count: Invalid input: expected int, received number',
    ],
    ['broken JSON', new TextEncoder().encode('{"schema":'), 'message is not JSON'],
  ]
  for (const [name, input, expected] of cases) {
    const decoded = decodeProcessorState(input)
    assert.ok(!decoded.ok, name)
    assert.ok(decoded.error.startsWith(expected), `${name}: ${decoded.error}`)
  }
})
