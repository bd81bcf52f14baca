import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseUtcOffset } from './parse-utc-offset.ts'

test('reads ISO 8601 offsets', () => {
  const cases: [string, number][] = [
    ['+08:00', 28_800_000],
    ['-05:00', -18_000_000],
    ['+0530', 19_800_000],
    ['Z', 0],
    ['-00:00', 0],
  ]
  for (const [text, offsetMs] of cases)
    assert.deepEqual(parseUtcOffset(text), { ok: true, value: offsetMs }, text)
})

test('rejects anything else, saying what it got', () => {
  assert.deepEqual(parseUtcOffset('Asia/Manila'), {
    ok: false,
    error: '"Asia/Manila" is not a UTC offset such as +08:00 or Z',
  })
  assert.deepEqual(parseUtcOffset('+08:75'), { ok: false, error: '"+08:75" has more than 59 minutes' })
})
