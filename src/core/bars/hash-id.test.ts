import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hashId } from './hash-id.ts'

test('a stable 53-bit hash: equal ids hash equal, 200,000 real-looking ids do not collide', () => {
  assert.equal(hashId('yahoo:AAPL:snapshot:1704205800000'), hashId('yahoo:AAPL:snapshot:1704205800000'))
  const seen = new Set<number>()
  for (let i = 0; i < 200_000; i++) {
    const hash = hashId(`yahoo:AAPL:1m:${1704205800000 + i * 60_000}`)
    assert.ok(Number.isSafeInteger(hash) && hash >= 0)
    seen.add(hash)
  }
  assert.equal(seen.size, 200_000)
  assert.notEqual(hashId('a'), hashId('b'))
  assert.notEqual(hashId(''), hashId(' '))
})
