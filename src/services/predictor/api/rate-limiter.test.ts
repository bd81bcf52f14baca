import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRateLimiter } from './rate-limiter.ts'

test('a window opens at a key’s first request; past max it is refused until the window ends', () => {
  const limiter = createRateLimiter({ max: 2, windowMs: 60_000 })
  const cases: [string, number, number, number, boolean][] = [
    ['a', 1_000, 1, 60, false],
    ['a', 30_500, 0, 31, false],
    ['b', 30_500, 1, 60, false],
    ['a', 60_999, 0, 1, true],
    ['a', 61_000, 1, 60, false],
    ['b', 61_000, 0, 30, false],
    ['b', 61_001, 0, 30, true],
  ]
  for (const [key, nowMs, remaining, resetSec, isExceeded] of cases)
    assert.deepEqual(
      limiter.hit(key, nowMs),
      { limit: 2, remaining, resetSec, isExceeded },
      `${key} at ${nowMs}`,
    )
})

test('only the most recently seen keys are remembered', () => {
  const limiter = createRateLimiter({ max: 1, windowMs: 60_000, capacity: 2 })
  limiter.hit('a', 0)
  limiter.hit('b', 0)
  assert.equal(limiter.hit('a', 1).isExceeded, true, 'a is remembered, and now the newest')
  limiter.hit('c', 2)
  assert.equal(limiter.hit('a', 3).isExceeded, true, 'c pushed out b, not a')
  assert.equal(limiter.hit('b', 4).isExceeded, false, 'b was forgotten')
})
