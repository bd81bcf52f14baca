import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HISTORY_LIMITS } from './history-limits.ts'
import { splitRange } from './split-range.ts'

const DAY_MS = 86_400_000
const iso = (ms: number): string => new Date(ms).toISOString()
const text = (range: { fromMs: number; toMs: number }): string => `${iso(range.fromMs)}..${iso(range.toMs)}`

test('splitRange cuts yahoo 1m ranges into 7-day windows within the last 30 days', () => {
  const now = Date.parse('2024-03-01T12:00:00Z')
  const range = { fromMs: Date.parse('2024-02-10T00:00:00Z'), toMs: Date.parse('2024-02-29T23:59:59.999Z') }
  const split = splitRange(range, HISTORY_LIMITS.yahoo['1m'], now)
  assert.deepEqual(split.windows.map(text), [
    '2024-02-10T00:00:00.000Z..2024-02-16T23:59:59.999Z',
    '2024-02-17T00:00:00.000Z..2024-02-23T23:59:59.999Z',
    '2024-02-24T00:00:00.000Z..2024-02-29T23:59:59.999Z',
  ])
  assert.equal(split.unavailable, undefined)
  const older = splitRange(
    { ...range, fromMs: Date.parse('2024-01-20T00:00:00Z') },
    HISTORY_LIMITS.yahoo['1m'],
    now,
  )
  assert.deepEqual(
    older.unavailable && text(older.unavailable),
    '2024-01-20T00:00:00.000Z..2024-01-31T11:59:59.999Z',
  )
  assert.deepEqual(older.windows.map(text), [
    '2024-01-31T12:00:00.000Z..2024-02-07T11:59:59.999Z',
    '2024-02-07T12:00:00.000Z..2024-02-14T11:59:59.999Z',
    '2024-02-14T12:00:00.000Z..2024-02-21T11:59:59.999Z',
    '2024-02-21T12:00:00.000Z..2024-02-28T11:59:59.999Z',
    '2024-02-28T12:00:00.000Z..2024-02-29T23:59:59.999Z',
  ])
  const gone = splitRange({ fromMs: 0, toMs: DAY_MS }, HISTORY_LIMITS.yahoo['1m'], now)
  assert.deepEqual(gone, { windows: [], unavailable: { fromMs: 0, toMs: DAY_MS } })
})

test('splitRange: one window when the provider has no limit, one a day for PSE', () => {
  const range = { fromMs: Date.UTC(2000, 0, 1), toMs: Date.UTC(2020, 0, 1) }
  assert.deepEqual(splitRange(range, HISTORY_LIMITS.stooq['1d'], 0), { windows: [range] })
  assert.deepEqual(splitRange(range, HISTORY_LIMITS.yahoo['1d'], 0), { windows: [range] })
  const week = { fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 0, 3, 23, 59, 59, 999) }
  assert.deepEqual(splitRange(week, HISTORY_LIMITS.pse['1d'], 0).windows.map(text), [
    '2024-01-01T00:00:00.000Z..2024-01-01T23:59:59.999Z',
    '2024-01-02T00:00:00.000Z..2024-01-02T23:59:59.999Z',
    '2024-01-03T00:00:00.000Z..2024-01-03T23:59:59.999Z',
  ])
})
