import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogLimiter } from './create-log-limiter.ts'

test('a log limiter allows max lines a window and the next allowed line counts those refused', () => {
  const limiter = createLogLimiter({ max: 2, windowMs: 1000 })
  const taken = [0, 1, 2, 500, 999, 1000, 1001, 1002, 5000].map((ms) => limiter.take(ms))
  assert.deepEqual(
    taken.map((permit) => [permit.isAllowed, permit.suppressed]),
    [
      [true, 0],
      [true, 0],
      [false, 1],
      [false, 2],
      [false, 3],
      [true, 3],
      [true, 0],
      [false, 1],
      [true, 1],
    ],
  )
})
