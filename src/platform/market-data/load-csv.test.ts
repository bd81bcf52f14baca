import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BUNDLED_CSV, loadCsv } from './load-csv.ts'

test('loads the bundled real series', async () => {
  const sp500 = await loadCsv(BUNDLED_CSV.sp500.url, { symbol: BUNDLED_CSV.sp500.symbol })
  const aapl = await loadCsv(BUNDLED_CSV.aapl.url, { symbol: BUNDLED_CSV.aapl.symbol })
  assert.equal(sp500.length, 5105)
  assert.equal(aapl.length, 1260)
  assert.deepEqual([sp500[0]?.start, sp500.at(-1)?.start], [Date.UTC(2000, 0, 3), Date.UTC(2020, 3, 17)])
  assert.deepEqual([aapl[0]?.start, aapl.at(-1)?.start], [Date.UTC(2013, 4, 13), Date.UTC(2018, 4, 11)])
  assert.equal(sp500.at(-1)?.close, 2874.560059)
})

test('a missing or malformed file rejects naming the file, and the line', async () => {
  await assert.rejects(
    loadCsv(new URL('./no-such-file.csv', import.meta.url), { symbol: 'X' }),
    /no-such-file\.csv: cannot read: ENOENT/,
  )
  await assert.rejects(
    loadCsv(new URL(import.meta.url), { symbol: 'X' }),
    /load-csv\.test\.ts: line 1: no "date \(or datetime, timestamp\)" column/,
  )
})
