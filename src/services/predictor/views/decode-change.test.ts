import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { decodeSnapshot } from '../../../core/training/upgrade-snapshot.ts'
import { realSeriesSteps } from '../../../../test/fixtures/predictor/real-series-steps.ts'
import { decodeChange } from './decode-change.ts'

const v1 = readFileSync(
  new URL('../../../../test/fixtures/training/aapl-600-rows.snapshot-v1.json', import.meta.url),
)

test('a version 1 snapshot on the models topic reads as the version 2 snapshot the trainer restores', () => {
  const change = decodeChange('model', v1)
  const expected = decodeSnapshot(v1)
  assert.ok(change.ok && expected.ok)
  assert.deepEqual(change.value, { kind: 'model', snapshot: expected.value })
  assert.equal(expected.value.schema, 2)
})

test('a binary snapshot on the models topic reads as the snapshot the trainer wrote', () => {
  const step = realSeriesSteps('AAPL', 300).at(-1)
  assert.ok(step !== undefined)
  assert.deepEqual(decodeChange('model', step.snapshotValue), {
    ok: true,
    value: { kind: 'model', snapshot: step.snapshot },
  })
})

test('a model value that is no snapshot of either version is an error naming the field', () => {
  const change = decodeChange('model', new TextEncoder().encode('{"schema":2}'))
  assert.equal(change.ok, false)
})
