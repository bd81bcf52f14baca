import assert from 'node:assert/strict'
import type { BySymbol } from './expected-outputs.ts'

/** How far two numbers may differ: 1e-9 of the larger, and 1e-12 near zero (as batch-equivalence.test.ts). */
const isClose = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12

export interface Comparison {
  readonly records: number
  readonly numbers: number
  /** The largest relative difference seen (0 when every number is bit-identical). */
  readonly largestDifference: number
}

/**
 * Asserts that two implementations published the same JSON messages per symbol, in order: the same
 * keys, the same fields, equal strings and nulls, numbers within 1e-9. Unlike assertSameBySymbol,
 * the text may differ (number formatting, field order); the parsed values may not.
 */
export function compareOutputs(actual: BySymbol, expected: BySymbol, what: string): Comparison {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${what}: the symbols`)
  let records = 0
  let numbers = 0
  let largestDifference = 0
  const compare = (got: unknown, wanted: unknown, path: string): void => {
    if (typeof wanted === 'number' && typeof got === 'number') {
      numbers++
      const scale = Math.max(Math.abs(got), Math.abs(wanted))
      largestDifference = Math.max(largestDifference, scale === 0 ? 0 : Math.abs(got - wanted) / scale)
      if (!isClose(got, wanted)) assert.fail(`${path}: ${got}, expected ${wanted}`)
      return
    }
    if (wanted !== null && typeof wanted === 'object' && got !== null && typeof got === 'object') {
      const wantedKeys = Object.keys(wanted).sort()
      assert.deepEqual(Object.keys(got).sort(), wantedKeys, `${path}: the fields`)
      for (const key of wantedKeys)
        compare(
          (got as Record<string, unknown>)[key],
          (wanted as Record<string, unknown>)[key],
          `${path}.${key}`,
        )
      return
    }
    assert.equal(got, wanted, path)
  }
  for (const [symbol, wanted] of expected) {
    const got = actual.get(symbol) ?? []
    assert.equal(got.length, wanted.length, `${what} of ${symbol}: the number of messages`)
    wanted.forEach((value, index) => {
      records++
      compare(JSON.parse(got[index] ?? 'null'), JSON.parse(value), `${what} of ${symbol} #${index}`)
    })
  }
  return { records, numbers, largestDifference }
}
