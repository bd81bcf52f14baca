import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { encodeMessage } from '../contracts/decode-message.ts'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { createSymbolTrainer } from './create-symbol-trainer.ts'
import { featureRowsOf } from './feature-rows-of.ts'
import { decodeSnapshot } from './upgrade-snapshot.ts'

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8')
const parsed = parseOhlcvCsv(read('../../../data/aapl.csv'), { symbol: 'AAPL' })
assert.ok(parsed.ok)
const rows = featureRowsOf(parsed.value)
const trainer = createSymbolTrainer()
/** The trainer of that release: EWMA the only variance model. */
const ewmaOnly = createSymbolTrainer({ varianceModels: [] })
/** Written by the version 1 trainer after the first 600 rows of the bundled AAPL series. */
const v1 = new TextEncoder().encode(read('../../../test/fixtures/training/aapl-600-rows.snapshot-v1.json'))

test('a version 1 snapshot reads as the version 2 snapshot of the same state, and the trainer resumes exactly', () => {
  const live = ewmaOnly.init('AAPL', '1d')
  for (const row of rows.slice(0, 600)) ewmaOnly.step(live, row)
  const decoded = decodeSnapshot(v1)
  assert.ok(decoded.ok)
  const { variance, intervals: _intervals, ...withoutVariance } = ewmaOnly.toSnapshot(live)
  assert.deepEqual(variance?.served, 'ewma')
  assert.deepEqual(decoded.value, withoutVariance)
  const restored = ewmaOnly.fromSnapshot(decoded.value)
  assert.ok(restored.ok)
  for (const row of rows.slice(600)) {
    assert.deepEqual(ewmaOnly.step(restored.value, row).prediction, ewmaOnly.step(live, row).prediction)
  }
})

test('a snapshot without variance models restores the point models as they were and starts the challengers afresh', () => {
  const decoded = decodeSnapshot(v1)
  assert.ok(decoded.ok)
  const restored = trainer.fromSnapshot(decoded.value)
  assert.ok(restored.ok)
  const fresh = trainer.init('AAPL', '1d')
  assert.equal(restored.value.servedVariance, 0)
  assert.deepEqual(restored.value.variances, fresh.variances)
  const old = ewmaOnly.fromSnapshot(decoded.value)
  assert.ok(old.ok)
  assert.deepEqual(restored.value.models, old.value.models)
  assert.deepEqual(restored.value.volatility, old.value.volatility)
  // No interval sums before encoding 3: the band's interval scores start afresh.
  assert.deepEqual(restored.value.intervalSums, fresh.intervalSums)
})

test('a version 2 snapshot decodes as it is; anything else is the version 2 error', () => {
  const state = trainer.init('AAPL', '1d')
  for (const row of rows.slice(0, 30)) trainer.step(state, row)
  const snapshot = trainer.toSnapshot(state)
  assert.deepEqual(decodeSnapshot(encodeMessage(snapshot)), { ok: true, value: snapshot })
  const broken = decodeSnapshot(encodeMessage({ ...snapshot, lastClose: -1 }))
  assert.ok(!broken.ok)
  assert.match(broken.error, /lastClose/)
  assert.deepEqual(decodeSnapshot(null), { ok: false, error: 'empty message' })
})
