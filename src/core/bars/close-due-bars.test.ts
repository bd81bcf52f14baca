import assert from 'node:assert/strict'
import { test } from 'node:test'
import { closeDueBars } from './close-due-bars.ts'
import { config, expectedBar, feed, snapshot } from '../../../test/fixtures/bars/test-quotes.ts'

test('closes the open bar once the watermark reaches its end, not before', () => {
  const oneMinute = config({ interval: '1m' })
  const { state } = feed([snapshot('a', '2024-01-02T14:30:10Z', 100, { volume: 50 })], oneMinute)
  const early = closeDueBars(state, Date.parse('2024-01-02T14:30:59.999Z'), oneMinute)
  assert.equal(early.state, state)
  assert.deepEqual(early.completed, [])
  const due = closeDueBars(state, Date.parse('2024-01-02T14:31:00Z'), oneMinute)
  assert.deepEqual(due.completed, [
    expectedBar('1m', '2024-01-02T14:30:00Z', '2024-01-02T14:31:00Z', [100, 100, 100, 100, 50], 1),
  ])
  assert.deepEqual(due.state.open, [])
  assert.equal(due.state.closedThroughMs, Date.parse('2024-01-02T14:31:00Z'))
  // After closing, a straggler for that minute is late; the next minute is open for business.
  const after = feed(
    [snapshot('b', '2024-01-02T14:30:50Z', 99), snapshot('c', '2024-01-02T14:31:01Z', 101)],
    oneMinute,
    due.state,
  )
  assert.deepEqual(
    after.rejected.map((r) => r.kind),
    ['late'],
  )
  assert.equal(after.state.open.length, 1)
})

test('closes a daily bar at the exchange midnight (a session close), given as an instant', () => {
  const manila = config({ interval: '1d', utcOffsetMs: 8 * 3_600_000 })
  const { state } = feed(
    [snapshot('a', '2024-01-02T07:00:00Z', 30, { open: 29, high: 31, low: 28.5, volume: 1e6 })],
    manila,
  )
  assert.deepEqual(closeDueBars(state, Date.parse('2024-01-02T15:59:59Z'), manila).completed, [])
  const { completed } = closeDueBars(state, Date.parse('2024-01-02T16:00:00Z'), manila)
  assert.deepEqual(completed, [
    expectedBar('1d', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z', [29, 31, 28.5, 30, 1e6], 1),
  ])
})

test('closes every due bar, oldest first, when lateness holds two open', () => {
  const lenient = config({ interval: '1m', allowedLatenessMs: 30_000 })
  const { state } = feed(
    [snapshot('a', '2024-01-02T14:30:10Z', 100), snapshot('b', '2024-01-02T14:31:20Z', 101)],
    lenient,
  )
  assert.equal(state.open.length, 2)
  const { completed } = closeDueBars(state, Date.parse('2024-01-02T14:35:00Z'), lenient)
  assert.deepEqual(
    completed.map((bar) => [new Date(bar.start).toISOString(), bar.close]),
    [
      ['2024-01-02T14:30:00.000Z', 100],
      ['2024-01-02T14:31:00.000Z', 101],
    ],
  )
})
