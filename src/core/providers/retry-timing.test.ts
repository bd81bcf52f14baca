import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseRetryAfter } from './parse-retry-after.ts'
import { retryDelayMs } from './retry-delay.ts'

test('retryDelayMs doubles up to the cap with jitter between half and all of it', () => {
  const policy = { baseMs: 500, maxMs: 4000 }
  const table = [
    [0, 0, 250],
    [0, 0.999_999, 500],
    [1, 0, 500],
    [2, 0.5, 1500],
    [3, 0, 2000],
    [6, 0, 2000],
    [6, 0.999_999, 4000],
  ] as const
  for (const [attempt, random, expected] of table)
    assert.equal(retryDelayMs(attempt, policy, random), expected, `${attempt} ${random}`)
})

test('parseRetryAfter reads seconds and HTTP dates, and ignores nonsense', () => {
  const now = Date.parse('2024-01-05T21:00:00Z')
  assert.equal(parseRetryAfter('120', now), 120_000)
  assert.equal(parseRetryAfter('Fri, 05 Jan 2024 21:00:30 GMT', now), 30_000)
  assert.equal(parseRetryAfter('Fri, 05 Jan 2024 20:00:00 GMT', now), 0)
  assert.equal(parseRetryAfter(undefined, now), undefined)
  assert.equal(parseRetryAfter('soon', now), undefined)
  assert.equal(parseRetryAfter('-5', now), undefined)
})
