import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { goldenProcessorStates } from '../../../test/fixtures/codec/golden-states.ts'
import { decodeProcessorState, encodeProcessorState } from './processor-state-codec.ts'

// Written by the codec of commit 3437f1b (test/fixtures/codec/write-codec-goldens.ts): the wire
// format is those bytes, whatever the code that writes them.
const golden = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/codec/processor-state.golden.json', import.meta.url), 'utf8'),
) as Record<string, string>

test('every golden state encodes to the bytes the first binary codec wrote, and they decode to it', async () => {
  const states = await goldenProcessorStates()
  assert.deepEqual(
    states.map(([name]) => name),
    Object.keys(golden),
  )
  for (const [name, state] of states) {
    const bytes = new Uint8Array(Buffer.from(golden[name]!, 'base64'))
    assert.deepEqual(encodeProcessorState(state), bytes, name)
    assert.deepEqual(decodeProcessorState(bytes), { ok: true, value: state }, name)
  }
})
