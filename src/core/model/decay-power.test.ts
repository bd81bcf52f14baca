import assert from 'node:assert/strict'
import { test } from 'node:test'
import { oneMinusDecayPower } from './decay-power.ts'

test('equals 1 - decay ** count bit for bit, inside the table, past its end and outside its range', () => {
  for (const decay of [0, 0.5, 0.85, 0.94, 0.99, 0.999, 0.9999, 0.99999, 1]) {
    for (let count = 0; count < 200_000; count += count < 5000 ? 1 : 7) {
      const expected = 1 - decay ** count
      if (oneMinusDecayPower(decay, count) !== expected) {
        assert.fail(`decay ${decay}, count ${count}: ${oneMinusDecayPower(decay, count)} vs ${expected}`)
      }
    }
  }
  assert.equal(oneMinusDecayPower(0.99, 2.5), 1 - 0.99 ** 2.5)
  assert.ok(Number.isNaN(oneMinusDecayPower(Number.NaN, 3)))
})
