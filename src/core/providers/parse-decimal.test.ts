import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDecimal, readDecimalFields } from './parse-decimal.ts'

test('parseDecimal reads provider numbers, thousands separators included', () => {
  const good: [unknown, number][] = [
    [23.5, 23.5],
    ['169.5600', 169.56],
    ['1,000.00', 1000],
    ['13,724,300', 13724300],
    [' 42 ', 42],
    ['-0.44', -0.44],
    ['.5', 0.5],
    [0, 0],
  ]
  for (const [input, expected] of good)
    assert.deepEqual(parseDecimal(input), { ok: true, value: expected }, String(input))
})

test('parseDecimal refuses what is not a number instead of reading it as zero', () => {
  const bad: [unknown, string][] = [
    [undefined, 'missing'],
    [null, 'not a number: null'],
    ['', 'not a number: ""'],
    ['N/D', 'not a number: "N/D"'],
    ['-', 'not a number: "-"'],
    ['1.000,00', 'not a number: "1.000,00"'],
    ['1,00', 'not a number: "1,00"'],
    ['12abc', 'not a number: "12abc"'],
    ['1e5', 'not a number: "1e5"'],
    [Number.NaN, 'not a finite number: NaN'],
    [Number.POSITIVE_INFINITY, 'not a finite number: Infinity'],
    [{}, 'not a number: {}'],
  ]
  for (const [input, error] of bad) assert.deepEqual(parseDecimal(input), { ok: false, error }, String(input))
})

test('readDecimalFields gives every field by our name, or names every unreadable one by its key', () => {
  const fields = { open: '1. open', close: '4. close' } as const
  assert.deepEqual(readDecimalFields({ '1. open': '10.50', '4. close': 11 }, fields), {
    ok: true,
    value: { open: 10.5, close: 11 },
  })
  assert.deepEqual(readDecimalFields({ '4. close': 'N/D' }, fields), {
    ok: false,
    error: '"1. open": missing, "4. close": not a number: "N/D"',
  })
})
