import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { goldenTrainerStates } from '../../../test/fixtures/codec/golden-states.ts'
import { decodeModelSnapshot, encodeModelSnapshot } from './model-snapshot-codec.ts'
import { toSnapshot } from './trainer-snapshot.ts'

// Written by the codec of commit 3437f1b (test/fixtures/codec/write-codec-goldens.ts): the wire
// format is those bytes, whatever the code that writes them.
const golden = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/codec/model-snapshot.golden.json', import.meta.url), 'utf8'),
) as Record<string, string>

/** `value` with its typed arrays as arrays: a decoded model state holds arrays where the live one may not. */
const plain = (value: unknown): unknown =>
  value instanceof Float64Array
    ? Array.from(value)
    : Array.isArray(value)
      ? value.map(plain)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]))
        : value

test('every golden state encodes to the bytes the first binary codec wrote, and they decode to its snapshot', () => {
  const states = goldenTrainerStates()
  assert.deepEqual(
    states.map(([name]) => name),
    Object.keys(golden),
  )
  for (const [name, state] of states) {
    const bytes = new Uint8Array(Buffer.from(golden[name]!, 'base64'))
    assert.deepEqual(encodeModelSnapshot(state), bytes, name)
    assert.deepEqual(decodeModelSnapshot(bytes), { ok: true, value: plain(toSnapshot(state)) }, name)
  }
})
