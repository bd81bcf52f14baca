import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { Prediction } from '../contracts/prediction.ts'
import { encodeMessage } from '../contracts/decode-message.ts'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { fromSnapshot, toSnapshot } from './trainer-snapshot.ts'
import { featureRowsOf } from './feature-rows-of.ts'
import { decodeSnapshot } from './upgrade-snapshot.ts'
import { asFirstReleaseSnapshot } from '../../../test/fixtures/training/first-release-snapshot.ts'

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8')
const parsed = parseOhlcvCsv(read('../../../data/aapl.csv'), { symbol: 'AAPL' })
assert.ok(parsed.ok)
const rows = featureRowsOf(parsed.value)
const trainerOptions = resolveTrainerOptions()
/** The trainer of that release: EWMA the only variance model. */
const ewmaOnly = resolveTrainerOptions({ varianceModels: [] })
/** Written by the version 1 trainer after the first 600 rows of the bundled AAPL series. */
const v1 = new TextEncoder().encode(read('../../../test/fixtures/training/aapl-600-rows.snapshot-v1.json'))

test('a version 1 snapshot reads as the version 2 snapshot of the same state, and the trainer resumes exactly', () => {
  const live = createTrainerState(ewmaOnly, 'AAPL', '1d')
  for (const row of rows.slice(0, 600)) trainStep(ewmaOnly, live, row)
  const decoded = decodeSnapshot(v1)
  assert.ok(decoded.ok)
  const snapshot = toSnapshot(live)
  assert.deepEqual(snapshot.variance?.served, 'ewma')
  assert.deepEqual(decoded.value, asFirstReleaseSnapshot(snapshot))
  const restored = fromSnapshot(ewmaOnly, decoded.value)
  assert.ok(restored.ok)
  // The version 1 snapshot has no horizons: their bands start afresh, the rest resumes exactly.
  const withoutHorizons = (prediction: Prediction | null) => ({ ...prediction, horizons: undefined })
  for (const row of rows.slice(600)) {
    assert.deepEqual(
      withoutHorizons(trainStep(ewmaOnly, restored.value, row).prediction),
      withoutHorizons(trainStep(ewmaOnly, live, row).prediction),
    )
  }
})

test('a snapshot without variance models restores the point models as they were and starts the challengers afresh', () => {
  const decoded = decodeSnapshot(v1)
  assert.ok(decoded.ok)
  const restored = fromSnapshot(trainerOptions, decoded.value)
  assert.ok(restored.ok)
  const fresh = createTrainerState(trainerOptions, 'AAPL', '1d')
  assert.equal(restored.value.servedVariance, 0)
  assert.deepEqual(restored.value.variances, fresh.variances)
  const old = fromSnapshot(ewmaOnly, decoded.value)
  assert.ok(old.ok)
  assert.deepEqual(restored.value.models, old.value.models)
  assert.deepEqual(restored.value.volatility, old.value.volatility)
  // No interval sums before encoding 3: the band's interval scores start afresh.
  assert.deepEqual(restored.value.intervalSums, fresh.intervalSums)
})

test('a version 2 snapshot decodes as it is; anything else is the version 2 error', () => {
  const state = createTrainerState(trainerOptions, 'AAPL', '1d')
  for (const row of rows.slice(0, 30)) trainStep(trainerOptions, state, row)
  const snapshot = toSnapshot(state)
  assert.deepEqual(decodeSnapshot(encodeMessage(snapshot)), { ok: true, value: snapshot })
  const broken = decodeSnapshot(encodeMessage({ ...snapshot, lastClose: -1 }))
  assert.ok(!broken.ok)
  assert.match(broken.error, /lastClose/)
  assert.deepEqual(decodeSnapshot(null), { ok: false, error: 'empty message' })
})
