import assert from 'node:assert/strict'
import { test } from 'node:test'
import { withoutNegativeZero } from './without-negative-zero.ts'

test('−0 becomes +0; every other number, NaN and the infinities included, is kept', () => {
  assert.ok(Object.is(withoutNegativeZero(-0), 0))
  assert.ok(Object.is(withoutNegativeZero(0), 0))
  for (const value of [
    1,
    -1,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ])
    assert.ok(Object.is(withoutNegativeZero(value), value), String(value))
  assert.ok(Number.isNaN(withoutNegativeZero(Number.NaN)))
})
