import assert from 'node:assert/strict'
import { test } from 'node:test'
import { wilsonInterval } from './wilson-interval.ts'

const cases = [
  { successes: 1, trials: 3, expected: [0.061492, 0.79234] },
  { successes: 0, trials: 10, expected: [0, 0.277533] },
  { successes: 5, trials: 10, expected: [0.236593, 0.763407] },
  { successes: 53, trials: 100, expected: [0.432889, 0.624892] },
] as const

test('matches hand-computed Wilson 95 % intervals', () => {
  for (const { successes, trials, expected } of cases) {
    const interval = wilsonInterval(successes, trials)
    assert.ok(interval !== null)
    assert.ok(Math.abs(interval[0] - expected[0]) < 1e-5, `${successes}/${trials} lower ${interval[0]}`)
    assert.ok(Math.abs(interval[1] - expected[1]) < 1e-5, `${successes}/${trials} upper ${interval[1]}`)
  }
})

test('is null without trials', () => {
  assert.equal(wilsonInterval(0, 0), null)
})
