import assert from 'node:assert/strict'
import { test } from 'node:test'
import { barStart } from './bar-start.ts'

const at = (iso: string): number => Date.parse(iso)
const HOUR = 3_600_000

test('bar starts on the interval grid', () => {
  const cases: [string, number, number, string][] = [
    ['2024-01-02T14:30:59.999Z', 60_000, 0, '2024-01-02T14:30:00.000Z'],
    ['2024-01-02T14:31:00.000Z', 60_000, 0, '2024-01-02T14:31:00.000Z'],
    ['2024-01-02T14:34:10.000Z', 300_000, 0, '2024-01-02T14:30:00.000Z'],
    ['2024-01-02T14:34:10.000Z', 300_000, 8 * HOUR, '2024-01-02T14:30:00.000Z'], // whole-hour offsets keep the UTC grid
    ['2024-01-02T04:10:00.000Z', HOUR, 5.5 * HOUR, '2024-01-02T03:30:00.000Z'], // India: hours start at :30 UTC
    ['2024-01-02T15:59:59.000Z', 24 * HOUR, 8 * HOUR, '2024-01-01T16:00:00.000Z'], // Manila midnight, as an instant
    ['1970-01-01T02:00:00.000Z', 24 * HOUR, -5 * HOUR, '1969-12-31T05:00:00.000Z'], // before the epoch's local midnight
  ]
  for (const [time, intervalMs, offsetMs, expected] of cases) {
    assert.equal(
      new Date(barStart(at(time), intervalMs, offsetMs)).toISOString(),
      expected,
      `${time} ${intervalMs} ${offsetMs}`,
    )
  }
})
