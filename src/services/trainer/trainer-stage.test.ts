import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { encodeMessage } from '../../core/contracts/decode-message.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { createFeatureState } from '../../core/features/feature-state.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import { resolveTrainerOptions } from '../../core/training/trainer-options.ts'
import { createTrainerState } from '../../core/training/trainer-state.ts'
import { trainStep } from '../../core/training/train-step.ts'
import { toSnapshot } from '../../core/training/trainer-snapshot.ts'
import { encodeModelSnapshot } from '../../core/training/model-snapshot-codec.ts'
import { decodeSnapshot } from '../../core/training/upgrade-snapshot.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { bundledSeries } from '../../../test/support/bundled-quotes.ts'
import { drainStage } from '../../../test/support/drain-stage.ts'
import { createTrainerMetrics } from './trainer-metrics.ts'
import { createTrainerStage } from './trainer-stage.ts'

async function featureRowsOf(name: 'aapl' | 'sp500') {
  const { bars } = await bundledSeries(name)
  let state = createFeatureState()
  return bars.map((bar) => {
    const next = nextFeatures(state, bar)
    state = next.state
    return next.row
  })
}

async function runTrainerOver(
  rows: Awaited<ReturnType<typeof featureRowsOf>>,
  options: { maxRecords: number; restartAfter?: number[] },
) {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(3))
  await bus.produce(rows.map((row) => ({ topic: 'features', key: row.symbol, value: encodeMessage(row) })))
  const stage = createTrainerStage({
    bus,
    topicPrefix: '',
    trainerOptions: resolveTrainerOptions(),
    metrics: createTrainerMetrics(new Registry()),
    now: () => 0,
  })
  await drainStage(bus, stage, { groupId: 'trainer', topic: 'features', ...options })
  const values = (topic: string) =>
    bus.readToEnd(topic).then((records) => records.map((r) => r.value ?? new Uint8Array()))
  const text = new TextDecoder()
  return {
    predictions: (await values('predictions')).map((value) => text.decode(value)),
    models: await values('models'),
  }
}

test('the trainer publishes exactly the predictions of the pure training step, and the last snapshot', async () => {
  const rows = await featureRowsOf('aapl')
  const trainerOptions = resolveTrainerOptions()
  let state = createTrainerState(trainerOptions, 'AAPL', '1d')
  const expected: string[] = []
  for (const row of rows) {
    const step = trainStep(trainerOptions, state, row)
    state = step.state
    if (step.prediction) expected.push(JSON.stringify(step.prediction))
  }
  const out = await runTrainerOver(rows, { maxRecords: 128 })
  assert.ok(expected.length > rows.length - 40, `predictions for nearly every bar (${expected.length})`)
  assert.deepEqual(out.predictions, expected)
  assert.deepEqual(decodeSnapshot(out.models.at(-1)!), { ok: true, value: toSnapshot(state) })
  assert.deepEqual(out.models.at(-1), encodeModelSnapshot(state))
})

test('a trainer restarted from its snapshots after each crash point publishes the uninterrupted output', async () => {
  const rows = (await featureRowsOf('aapl')).slice(0, 500)
  const uninterrupted = await runTrainerOver(rows, { maxRecords: 60 })
  const restarted = await runTrainerOver(rows, { maxRecords: 60, restartAfter: [0, 2, 3, 6] })
  assert.deepEqual(restarted.predictions, uninterrupted.predictions)
  assert.deepEqual(restarted.models.at(-1), uninterrupted.models.at(-1))
})
