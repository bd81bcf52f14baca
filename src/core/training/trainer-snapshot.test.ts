import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { modelSnapshotSchema, type ModelSnapshot } from '../contracts/model-snapshot.ts'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { SCORE } from '../metrics/score-sums.ts'
import { summariseScores } from '../metrics/summarise-scores.ts'
import { MODEL_REGISTRY } from '../model/model-registry.ts'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { fromSnapshot, toSnapshot } from './trainer-snapshot.ts'
import { featureRowsOf } from './feature-rows-of.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'
import type { TrainerState } from './trainer-state.ts'

const random = seededRandom(11)
const closes = [100]
for (let t = 0; t < 600; t++) closes.push(closes.at(-1)! * Math.exp(0.012 * random.normal()))
const rows = syntheticFeatureRows(closes, 'AAPL')
const trainerOptions = resolveTrainerOptions()

const trainThrough = (count: number): TrainerState =>
  rows
    .slice(0, count)
    .reduce(
      (state, row) => trainStep(trainerOptions, state, row).state,
      createTrainerState(trainerOptions, 'AAPL', '1d'),
    )

const throughJson = (snapshot: ModelSnapshot): ModelSnapshot => {
  const decoded = modelSnapshotSchema.safeParse(JSON.parse(JSON.stringify(snapshot)))
  assert.ok(decoded.success)
  return decoded.data
}

test('state survives snapshot → JSON → validation → restore without change', () => {
  const state = trainThrough(400)
  const restored = fromSnapshot(trainerOptions, throughJson(toSnapshot(state)))
  assert.ok(restored.ok)
  assert.deepEqual(restored.value, state)
})

test('a restored trainer continues exactly as the uninterrupted one', () => {
  let live = trainThrough(400)
  const restored = fromSnapshot(trainerOptions, throughJson(toSnapshot(live)))
  assert.ok(restored.ok)
  let resumed = restored.value
  for (const row of rows.slice(400)) {
    const a = trainStep(trainerOptions, live, row)
    const b = trainStep(trainerOptions, resumed, row)
    assert.deepEqual(b.prediction, a.prediction)
    live = a.state
    resumed = b.state
  }
  assert.deepEqual(toSnapshot(resumed), toSnapshot(live))
})

test('the snapshot fits the contract and names every model with its scores', () => {
  const snapshot = toSnapshot(trainThrough(300))
  assert.ok(modelSnapshotSchema.safeParse(snapshot).success)
  assert.equal(snapshot.version, 300)
  assert.equal(snapshot.trainedThrough, rows[299]!.barStart)
  assert.deepEqual(
    snapshot.models.map((m) => m.id),
    MODEL_REGISTRY.map((m) => m.id),
  )
  assert.ok(snapshot.models.every((m) => summariseScores(m.scoreSums).n > 250))
  assert.equal(snapshot.served, 'naive')
})

test('a snapshot shares nothing with the state: training on does not change it', () => {
  const state = trainThrough(300)
  const snapshot = toSnapshot(state)
  const json = JSON.stringify(snapshot)
  for (const row of rows.slice(300, 320)) trainStep(trainerOptions, state, row)
  assert.equal(JSON.stringify(snapshot), json)
  const restored = fromSnapshot(trainerOptions, snapshot)
  assert.ok(restored.ok)
  trainStep(trainerOptions, restored.value, rows[300]!)
  assert.equal(JSON.stringify(snapshot), json)
})

// The JSON form is the snapshot as readers and the legacy decoder see it, not what the topic holds
// (the binary value, under 4 KiB in model-snapshot-codec.test.ts). It was 4,048 bytes at most over
// every bar before the interval sums, whose 51 numbers add some 375, and 4,414 before the 172 of
// the horizons, which add some 2,200 (their rings of forecasts in flight): its budget is 7 KiB.
test('a symbol’s whole snapshot stays under 7 KiB of JSON on both real series', () => {
  for (const [file, symbol] of [
    ['sp500', '^GSPC'],
    ['aapl', 'AAPL'],
  ] as const) {
    const csv = readFileSync(new URL(`../../../data/${file}.csv`, import.meta.url), 'utf8')
    const parsed = parseOhlcvCsv(csv, { symbol })
    assert.ok(parsed.ok)
    const state = featureRowsOf(parsed.value).reduce(
      (s, row) => trainStep(trainerOptions, s, row).state,
      createTrainerState(trainerOptions, symbol, '1d'),
    )
    const bytes = Buffer.byteLength(JSON.stringify(toSnapshot(state)))
    assert.ok(bytes < 7168, `${symbol}: ${bytes} bytes`)
  }
})

test('a corrupt state is an error value naming the field', () => {
  const snapshot = toSnapshot(trainThrough(50))
  const broken = { ...snapshot, lastClose: -1 }
  const restored = fromSnapshot(trainerOptions, broken)
  assert.ok(!restored.ok)
  assert.match(restored.error, /lastClose/)
  const badModel = {
    ...snapshot,
    models: snapshot.models.map((m) => (m.id === 'rls' ? { ...m, state: { rls: 1 } } : m)),
  }
  const result = fromSnapshot(trainerOptions, badModel)
  assert.match(result.ok ? '' : result.error, /model rls/)
})

test('a model added since the snapshot starts afresh; one removed is dropped', () => {
  const withoutMedian = resolveTrainerOptions({ models: MODEL_REGISTRY.filter((m) => m.id !== 'median') })
  const state = rows
    .slice(0, 100)
    .reduce(
      (s, row) => trainStep(withoutMedian, s, row).state,
      createTrainerState(withoutMedian, 'AAPL', '1d'),
    )
  const restored = fromSnapshot(trainerOptions, toSnapshot(state))
  assert.ok(restored.ok)
  const median = restored.value.models.find((m) => m.id === 'median')
  assert.equal(median?.scores[SCORE.n], 0)
  assert.deepEqual(
    restored.value.models.find((m) => m.id === 'rls'),
    state.models.find((m) => m.id === 'rls'),
  )
  const back = fromSnapshot(withoutMedian, toSnapshot(restored.value))
  assert.ok(back.ok)
  assert.deepEqual(
    back.value.models.map((m) => m.id),
    ['naive', 'rls', 'rls-r1'],
  )
})

test('a state that has seen no row has nothing to snapshot', () => {
  assert.throws(() => toSnapshot(createTrainerState(trainerOptions, 'AAPL', '1d')), /no row/)
})
