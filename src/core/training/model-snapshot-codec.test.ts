import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { z } from 'zod'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { MODEL_REGISTRY } from '../model/model-registry.ts'
import type { ModelSpec } from '../model/model-spec.ts'
import { defineStateLayout } from '../model/model-state-layout.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { fromSnapshot, toSnapshot } from './trainer-snapshot.ts'
import { featureRowsOf } from './feature-rows-of.ts'
import { decodeModelSnapshot, encodeModelSnapshot, encodeModelSnapshots } from './model-snapshot-codec.ts'
import type { TrainerState } from './trainer-state.ts'
import { decodeSnapshot } from './upgrade-snapshot.ts'
import { asFirstReleaseSnapshot } from '../../../test/fixtures/training/first-release-snapshot.ts'

const trainerOptions = resolveTrainerOptions()
const rowsOf = (file: string, symbol: string) => {
  const parsed = parseOhlcvCsv(readFileSync(new URL(`../../../data/${file}.csv`, import.meta.url), 'utf8'), {
    symbol,
  })
  assert.ok(parsed.ok)
  return featureRowsOf(parsed.value)
}
const aapl = rowsOf('aapl', 'AAPL')
const sp500 = rowsOf('sp500', '^GSPC')

/** A state after each of `counts` rows of a series, as separate states. */
function statesAfter(rows: typeof aapl, counts: readonly number[]): TrainerState[] {
  return counts.map((count) => {
    const state = createTrainerState(trainerOptions, rows[0]!.symbol, '1d')
    for (const row of rows.slice(0, count)) trainStep(trainerOptions, state, row)
    return state
  })
}

test('a value decodes to the snapshot of the state, under 4 KiB, and restores it bit for bit', () => {
  for (const rows of [aapl, sp500]) {
    for (const state of statesAfter(rows, [1, 2, 25, 300, rows.length])) {
      const bytes = encodeModelSnapshot(state)
      assert.ok(bytes.byteLength < 4096, `${bytes.byteLength} bytes`)
      const decoded = decodeModelSnapshot(bytes)
      assert.deepEqual(decoded, { ok: true, value: toSnapshot(state) })
      assert.deepEqual(decodeSnapshot(bytes), decoded)
      assert.ok(decoded.ok)
      assert.deepEqual(fromSnapshot(trainerOptions, decoded.value), { ok: true, value: state })
    }
  }
})

test('a value of encoding 1 (before the variance models) still decodes, to the state it was written from', () => {
  const bytes = new Uint8Array(
    readFileSync(new URL('../../../test/fixtures/training/aapl-600-rows.encoding-1.bin', import.meta.url)),
  )
  assert.equal(bytes[1], 1)
  const ewmaOnly = resolveTrainerOptions({ varianceModels: [] })
  const live = createTrainerState(ewmaOnly, 'AAPL', '1d')
  for (const row of aapl.slice(0, 600)) trainStep(ewmaOnly, live, row)
  const decoded = decodeModelSnapshot(bytes)
  assert.ok(decoded.ok)
  const snapshot = toSnapshot(live)
  assert.equal(snapshot.variance?.served, 'ewma')
  assert.deepEqual(decoded.value, asFirstReleaseSnapshot(snapshot))
  const restored = fromSnapshot(trainerOptions, decoded.value)
  assert.ok(restored.ok)
  assert.equal(restored.value.variances[restored.value.servedVariance]?.id, 'ewma')
})

test('a trainer restored from a value mid-stream continues exactly as the uninterrupted one', () => {
  const [live] = statesAfter(aapl, [600])
  const decoded = decodeSnapshot(encodeModelSnapshot(live!))
  assert.ok(decoded.ok)
  const restored = fromSnapshot(trainerOptions, decoded.value)
  assert.ok(restored.ok)
  for (const row of aapl.slice(600)) {
    assert.deepEqual(
      trainStep(trainerOptions, restored.value, row).prediction,
      trainStep(trainerOptions, live!, row).prediction,
    )
  }
  assert.deepEqual(encodeModelSnapshot(restored.value), encodeModelSnapshot(live!))
})

test('values encoded together are the bytes of each encoded alone, and decode from where they lie', () => {
  const states = statesAfter(aapl, [1, 30, 400])
  const values = encodeModelSnapshots(states)
  assert.deepEqual(values, states.map(encodeModelSnapshot))
  for (const [index, value] of values.entries()) {
    // Shifted off the 8-byte alignment, as a value inside a fetched buffer may be.
    const shifted = new Uint8Array(value.length + 1).subarray(1)
    shifted.set(value)
    assert.deepEqual(decodeModelSnapshot(shifted), { ok: true, value: toSnapshot(states[index]!) })
  }
  assert.deepEqual(encodeModelSnapshots([]), [])
})

test('nulls, -0, non-finite inputs and non-ASCII names survive the round trip', () => {
  const [state] = statesAfter(aapl, [1])
  const slot = state!.models[1]!
  slot.recentLossDiff = -0
  slot.pending = Number.NaN
  slot.inputs[0] = Number.POSITIVE_INFINITY
  const snapshot = toSnapshot(state!)
  assert.equal(snapshot.pendingSigma, null)
  assert.equal(snapshot.lastInputs.r1, null)
  const decoded = decodeModelSnapshot(encodeModelSnapshot(state!))
  assert.deepEqual(decoded, { ok: true, value: snapshot })
  assert.ok(Object.is(decoded.value.models[1]!.recentLossDiff, -0))

  const spec: ModelSpec = {
    id: 'modèle',
    kind: 'zéro',
    version: 3,
    features: ['r1', 'closeToSma20'],
    layout: defineStateLayout([['w.v', 2], ['w.none', 0], 'n']),
    stateSchema: z.object({
      w: z.object({ v: z.array(z.number()), none: z.array(z.number()) }),
      n: z.number(),
    }),
    init(s) {
      s.set([1.5, -2, 7])
    },
    predict: () => 0,
    update: () => undefined,
  }
  const other = resolveTrainerOptions({ models: [...MODEL_REGISTRY, spec] })
  const custom = createTrainerState(other, 'AAPL', '1d')
  for (const row of aapl.slice(0, 3)) trainStep(other, custom, row)
  const back = decodeModelSnapshot(encodeModelSnapshot(custom))
  assert.ok(back.ok)
  assert.deepEqual(back.value.models.at(-1), {
    ...toSnapshot(custom).models.at(-1),
    state: { w: { v: [1.5, -2], none: [] }, n: 7 },
  })
})

test('a broken value is an error naming what is wrong, never a throw', () => {
  const [state] = statesAfter(aapl, [30])
  const bytes = encodeModelSnapshot(state!)
  const view = (source: Uint8Array) => new DataView(source.buffer, source.byteOffset, source.byteLength)
  const count = view(bytes).getUint32(8, true)
  const textAt = 16 + count * 8
  const changed = (edit: (copy: Uint8Array) => void): Uint8Array => {
    const copy = bytes.slice()
    edit(copy)
    return copy
  }
  const withNumber = (index: number, value: number) =>
    changed((copy) => view(copy).setFloat64(16 + index * 8, value, true))
  /** The value with its first model's state layout replaced by `layout` (of the same byte length). */
  const withLayout = (layout: string) => {
    const text = new TextDecoder().decode(bytes.subarray(textAt))
    const at = text.indexOf('rls.theta[4]')
    assert.ok(at > 0)
    return changed((copy) => copy.set(new TextEncoder().encode(layout), textAt + at))
  }
  /**
   * The value with its last texts, the interval sums' layout `1:51`, the horizons' `1:172` and the
   * time-of-day profile's `1:26`, replaced by `layouts`.
   */
  const withLastTexts = (intervals: string, horizons: string, timeOfDay = '1:26') => {
    const at = bytes.length - '1:51'.length - 2 - '1:172'.length - 2 - '1:26'.length
    assert.equal(new TextDecoder().decode(bytes.subarray(at)), '1:51\x05\x001:172\x04\x001:26')
    return changed((copy) =>
      copy.set(new TextEncoder().encode(`${intervals}\x05\x00${horizons}\x04\x00${timeOfDay}`), at),
    )
  }
  const cases: [string, Uint8Array | null, string][] = [
    ['null', null, 'empty message'],
    ['empty', new Uint8Array(0), 'empty message'],
    ['other bytes', new Uint8Array([0xb5, 2, 3]), 'not a binary model snapshot: first byte 0xb5'],
    ['a newer encoding', new Uint8Array([0xb6, 9]), 'unknown model-snapshot encoding 9'],
    ['no header', bytes.subarray(0, 9), 'model snapshot of 9 bytes lacks its header'],
    ['truncated', bytes.subarray(0, 40), `model snapshot of 40 bytes, its header says ${bytes.length}`],
    [
      'trailing bytes',
      new Uint8Array([...bytes, 0]),
      `model snapshot of ${bytes.length + 1} bytes, its header says ${bytes.length}`,
    ],
    [
      'a text running past the end',
      changed((copy) => copy.set([0xff, 0xff], textAt)),
      'model snapshot text 0 of 23 is cut off',
    ],
    [
      'a text that is not UTF-8',
      changed((copy) => (copy[textAt + 2] = 0xff)),
      'model snapshot text 0 of 23 is not UTF-8',
    ],
    [
      'a malformed state layout',
      withLayout('rls.theta[x]'),
      'models.1.state: state layout field "rls.theta[x]" is malformed',
    ],
    [
      'a state layout of other size',
      withLayout('rls.theta[5]'),
      `model snapshot of ${count} numbers, its models take ${count + 1}`,
    ],
    [
      'two fields at one key',
      withLayout('rls.p[4],rls'),
      'models.1.state: state layout field rls clashes with another',
    ],
    [
      'an interval sums layout of another version',
      withLastTexts('9:51', '1:172'),
      'interval sums layout "9:51" is not 1:count',
    ],
    [
      'interval sums of another size',
      withLastTexts('1:52', '1:172'),
      `model snapshot of ${count} numbers, its models take ${count + 1}`,
    ],
    [
      'a horizons layout of another version',
      withLastTexts('1:51', '2:172'),
      'horizons layout "2:172" is not 1:count',
    ],
    [
      'horizons of another size',
      withLastTexts('1:51', '1:171'),
      `model snapshot of ${count} numbers, its models take ${count - 1}`,
    ],
    [
      'a time-of-day layout of another version',
      withLastTexts('1:51', '1:172', '2:26'),
      'time-of-day profile layout "2:26" is not 1:count',
    ],
    [
      'a time-of-day profile of another size',
      withLastTexts('1:51', '1:172', '1:27'),
      `model snapshot of ${count} numbers, its models take ${count + 1}`,
    ],
    ['a field out of its schema', withNumber(2, -1), 'lastClose: must be at least 1e-6 (MIN_PRICE)'],
    [
      'NaN where a number belongs',
      withNumber(0, Number.NaN),
      'version: Invalid input: expected number, received NaN',
    ],
    [
      'a fraction where an integer belongs',
      withNumber(0, 1.5),
      'version: Invalid input: expected int, received number',
    ],
    ['another schema', changed((copy) => (copy[2] = 3)), 'schema: Invalid input: expected 2'],
  ]
  for (const [name, input, expected] of cases) {
    const decoded = decodeModelSnapshot(input)
    assert.ok(!decoded.ok, name)
    assert.ok(decoded.error.startsWith(expected), `${name}: ${decoded.error}`)
  }
})

test('a model state the layout reads but the model refuses fails its restore, naming the field', () => {
  const [state] = statesAfter(aapl, [30])
  const bytes = encodeModelSnapshot(state!)
  // The first number of the rls state (theta[0]): after the top fields, 3 inputs and naive's numbers.
  const at = 16 + (19 + 3 + 19 + 19) * 8
  new DataView(bytes.buffer, bytes.byteOffset).setFloat64(at, Number.NaN, true)
  const decoded = decodeSnapshot(bytes)
  assert.ok(decoded.ok)
  assert.ok(Number.isNaN((decoded.value.models[1]!.state.rls as { theta: number[] }).theta[0]))
  const restored = fromSnapshot(trainerOptions, decoded.value)
  assert.ok(!restored.ok)
  assert.match(restored.error, /^state of model rls: rls\.theta\.0: /)
})
