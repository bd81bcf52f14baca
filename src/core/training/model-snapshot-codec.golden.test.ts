import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { goldenTrainerStates } from '../../../test/fixtures/codec/golden-states.ts'
import { decodeModelSnapshot, encodeModelSnapshot } from './model-snapshot-codec.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { VARIANCE_SCORE } from './trainer-state.ts'
import { fromSnapshot, toSnapshot } from './trainer-snapshot.ts'

// Written by the codec of commit 3437f1b (encoding 2), by the codec that added the interval sums
// (encoding 3), by the one that added the horizons (encoding 4) and by the one that added the
// time-of-day profile (encoding 5), with test/fixtures/codec/write-codec-goldens.ts: the wire
// format is those bytes, whatever the code that writes them.
const goldenOf = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/codec/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, string>
const encoding2 = goldenOf('model-snapshot.golden.json')
const encoding3 = goldenOf('model-snapshot.encoding-3.golden.json')
const encoding4 = goldenOf('model-snapshot.encoding-4.golden.json')
const encoding5 = goldenOf('model-snapshot.encoding-5.golden.json')
const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'))

/** `value` with its typed arrays as arrays: a decoded model state holds arrays where the live one may not. */
const plain = (value: unknown): unknown =>
  value instanceof Float64Array
    ? Array.from(value)
    : Array.isArray(value)
      ? value.map(plain)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]))
        : value

/**
 * A value as the encoding before `bytes`'s wrote it: without its last block of numbers (the last
 * `count`) and that block's layout (the last text, `1:count`), with the header's encoding, number
 * count and text bytes to match.
 */
function asEncodingBefore(bytes: Uint8Array, count: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const numbers = view.getUint32(8, true)
  const textBytes = view.getUint32(12, true)
  const lastText = 2 + `1:${String(count)}`.length
  const numbersEnd = 16 + (numbers - count) * 8
  const textsAt = 16 + numbers * 8
  const old = new Uint8Array([
    ...bytes.subarray(0, numbersEnd),
    ...bytes.subarray(textsAt, textsAt + textBytes - lastText),
  ])
  const header = new DataView(old.buffer)
  header.setUint8(1, view.getUint8(1) - 1)
  header.setUint32(8, numbers - count, true)
  header.setUint32(12, textBytes - lastText, true)
  return old
}

test('every golden state encodes to the bytes of encoding 5, and they decode to its snapshot', () => {
  const states = goldenTrainerStates()
  assert.deepEqual(
    states.map(([name]) => name),
    Object.keys(encoding5),
  )
  for (const [name, state] of states) {
    const bytes = bytesOf(encoding5[name]!)
    assert.deepEqual(encodeModelSnapshot(state), bytes, name)
    assert.deepEqual(decodeModelSnapshot(bytes), { ok: true, value: plain(toSnapshot(state)) }, name)
  }
})

test('each encoding from 3 to 5 is the one before plus one block (interval sums, horizons, time-of-day profile): the older read without it', () => {
  const states = goldenTrainerStates()
  for (const golden of [encoding4, encoding3, encoding2])
    assert.deepEqual(
      states.map(([name]) => name),
      Object.keys(golden),
    )
  for (const [name, state] of states) {
    const four = bytesOf(encoding4[name]!)
    const three = bytesOf(encoding3[name]!)
    const two = bytesOf(encoding2[name]!)
    assert.deepEqual([four[1], three[1], two[1]], [4, 3, 2])
    const asFour = asEncodingBefore(encodeModelSnapshot(state), state.timeOfDay.length)
    assert.deepEqual(asFour, four, `${name}: encoding 4`)
    const asThree = asEncodingBefore(asFour, state.horizons.length)
    assert.deepEqual(asThree, three, `${name}: encoding 3`)
    assert.deepEqual(asEncodingBefore(asThree, state.intervalSums.length), two, `${name}: encoding 2`)
    const { intervals, horizons, timeOfDay, ...withoutAll } = plain(toSnapshot(state)) as Record<
      string,
      unknown
    >
    assert.equal((horizons as unknown[]).length, state.horizons.length)
    assert.equal((timeOfDay as unknown[]).length, state.timeOfDay.length)
    assert.deepEqual(
      decodeModelSnapshot(four),
      { ok: true, value: { ...withoutAll, intervals, horizons } },
      name,
    )
    assert.deepEqual(decodeModelSnapshot(three), { ok: true, value: { ...withoutAll, intervals } }, name)
    assert.deepEqual(decodeModelSnapshot(two), { ok: true, value: withoutAll }, name)
  }
})

test('a state written before the range HAR and the pool restores into the current trainer: range and pool start afresh', () => {
  const bytes = bytesOf(encoding5['aapl-300']!)
  const decoded = decodeModelSnapshot(bytes)
  assert.ok(decoded.ok)
  const saved = decoded.value.variance!
  assert.deepEqual(
    saved.models.map((model) => `${model.id}:${model.version}`),
    ['ewma:1', 'garch:1', 'har:1', 'range:1'],
  )
  const restored = fromSnapshot(resolveTrainerOptions(), decoded.value)
  assert.ok(restored.ok, restored.ok ? '' : restored.error)
  const byId = new Map(restored.value.variances.map((slot) => [slot.id, slot]))
  assert.deepEqual([...byId.keys()], ['ewma', 'garch', 'har', 'range', 'pool'])
  for (const id of ['ewma', 'garch', 'har']) {
    const slot = byId.get(id)!
    const numbers = saved.models.find((model) => model.id === id)!.numbers
    assert.deepEqual(
      [...slot.scores, ...slot.state].map((value) => (Number.isNaN(value) ? null : value)),
      numbers,
      id,
    )
  }
  for (const id of ['range', 'pool']) assert.equal(byId.get(id)!.scores[VARIANCE_SCORE.n], 0, id)
})
