import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { TOPICS, topicSpecs } from '../../../core/contracts/topics.ts'
import { MemoryBus } from '../../../platform/bus/memory-bus.ts'
import { realSeriesSteps } from '../../../../test/fixtures/predictor/real-series-steps.ts'
import { toRecords } from '../../../../test/fixtures/predictor/to-records.ts'
import { createViews, type ViewChange } from './create-views.ts'
import { materialiseViews, type ConsumptionObserver } from './materialise-views.ts'

const topics = { bar: TOPICS.bars, prediction: TOPICS.predictions, model: TOPICS.models }

test('restores the views from the topics, then applies new records once each, skipping invalid ones', async () => {
  const steps = realSeriesSteps('AAPL', 200)
  const bus = new MemoryBus({ now: () => 1_000 })
  await bus.ensureTopics(topicSpecs(3))
  await bus.produce(toRecords(steps.slice(0, 150)))
  await bus.produce([{ topic: TOPICS.bars, key: 'AAPL', value: new TextEncoder().encode('{"not":"a bar"}') }])
  await bus.produce([{ topic: TOPICS.models, key: 'GONE', value: null }])

  const views = createViews({ maxBarsPerSymbol: 100 })
  const invalid: string[] = []
  const applied = new Map<string, number>()
  const observer: ConsumptionObserver = {
    recordApplied: (topic, count) => applied.set(topic, (applied.get(topic) ?? 0) + count),
    recordInvalid: (topic) => invalid.push(topic),
    setLagSeconds: () => undefined,
  }
  const controller = new AbortController()
  const restored = Promise.withResolvers<undefined>()
  const seen: ViewChange['kind'][] = []
  const running = materialiseViews({
    bus,
    topics,
    views,
    logger: pino({ level: 'silent' }),
    signal: controller.signal,
    now: () => 5_000,
    observer,
    onRestored: () => {
      views.subscribe((change) => seen.push(change.kind))
      restored.resolve(undefined)
    },
  })
  await restored.promise
  const aapl = views.get('AAPL')
  assert.equal(aapl?.bars.size, 100, 'history is bounded')
  assert.equal(aapl.bars.last()?.start, steps[149]!.bar.start)
  assert.equal(aapl.model?.version, steps[149]!.snapshot.version)
  assert.equal(views.get('GONE'), undefined, 'a tombstone is nothing to apply')
  assert.deepEqual(invalid, [TOPICS.bars])

  await bus.produce(toRecords(steps.slice(150, 152)))
  const count = (kind: string) => seen.filter((k) => k === kind).length
  for (
    let i = 0;
    i < 400 && !(count('bar') === 2 && count('prediction') === 2 && count('model') >= 1);
    i += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  controller.abort()
  await running
  // Records of different topics interleave freely, and compaction may leave only the newest snapshot.
  assert.deepEqual([count('bar'), count('prediction')], [2, 2], 'restored records are not applied twice')
  assert.ok(count('model') >= 1)
  assert.equal(views.get('AAPL')?.bars.last()?.start, steps[151]!.bar.start)
  assert.equal(views.get('AAPL')?.receivedAtMs, 1_000, 'freshness is the records’ timestamp')
  assert.equal(applied.get(TOPICS.bars), 152)
})
