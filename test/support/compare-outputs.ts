import assert from 'node:assert/strict'
import { decodeSnapshot } from '../../src/core/training/upgrade-snapshot.ts'
import type { BusRecord } from '../../src/platform/bus/bus.ts'
import type { BySymbol } from './expected-outputs.ts'

const text = new TextDecoder()

/** Record values as text, per key, in offset order (one key lives in one partition). */
export function valuesByKey(records: readonly BusRecord[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>()
  for (const record of records) {
    const key = record.key ?? '(null)'
    const values = byKey.get(key) ?? []
    values.push(record.value === null ? '(tombstone)' : text.decode(record.value))
    byKey.set(key, values)
  }
  return byKey
}

/**
 * Asserts that the last value of each symbol on the models topic (what the compacted topic keeps) is
 * the expected one, byte for byte. The values are binary, so a difference is shown decoded first.
 */
export function assertSameSnapshots(
  records: readonly BusRecord[],
  expected: ReadonlyMap<string, Uint8Array>,
  what: string,
): void {
  const latest = new Map<string, Uint8Array | null>()
  for (const record of records) latest.set(record.key ?? '(null)', record.value)
  const decoded = (values: ReadonlyMap<string, Uint8Array | null>) =>
    new Map(
      [...values].map(([key, value]) => {
        const snapshot = decodeSnapshot(value)
        return [key, snapshot.ok ? snapshot.value : snapshot.error]
      }),
    )
  const hex = (values: ReadonlyMap<string, Uint8Array | null>) =>
    new Map([...values].map(([key, value]) => [key, value && Buffer.from(value).toString('hex')]))
  assert.deepEqual(decoded(latest), decoded(expected), what)
  assert.deepEqual(hex(latest), hex(expected), `${what}, byte for byte`)
}

/** The partitions each key was found in. */
export function partitionsByKey(records: readonly BusRecord[]): Map<string, Set<number>> {
  const partitions = new Map<string, Set<number>>()
  for (const record of records) {
    const key = record.key ?? '(null)'
    partitions.set(key, (partitions.get(key) ?? new Set()).add(record.partition))
  }
  return partitions
}

/**
 * Asserts that a topic holds exactly the expected messages per symbol, in order: nothing lost,
 * nothing twice, nothing else. A failure names the symbol and the first position that differs.
 */
export function assertSameBySymbol(actual: BySymbol, expected: BySymbol, what: string): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${what}: the symbols`)
  for (const [symbol, wanted] of expected) {
    const got = actual.get(symbol) ?? []
    const first = wanted.findIndex((value, index) => got[index] !== value)
    const at = first === -1 && got.length !== wanted.length ? Math.min(got.length, wanted.length) : first
    if (at !== -1) {
      assert.fail(
        `${what} of ${symbol}: ${got.length} messages, expected ${wanted.length}; first difference at #${at}:\n` +
          `  actual:   ${(got[at] ?? '(none)').slice(0, 400)}\n  expected: ${(wanted[at] ?? '(none)').slice(0, 400)}`,
      )
    }
  }
}
