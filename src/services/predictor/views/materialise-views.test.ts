import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { TOPICS, topicSpecs } from '../../../core/contracts/topics.ts'
import type { Bus, BusConsumer, ConsumerOptions } from '../../../platform/bus/bus.ts'
import { MemoryBus } from '../../../platform/bus/memory-bus.ts'
import { QuotecastError } from '../../../platform/errors.ts'
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

test('a failed poll is retried when a retry can help; any other failure rejects with it', async () => {
  const cases: readonly (readonly [string, Error, boolean])[] = [
    ['the broker away', new QuotecastError('BUS_UNAVAILABLE', 'polling: the broker is restarting'), true],
    ['a refused request', new QuotecastError('BUS_PROTOCOL', 'polling: unknown topic'), false],
    ['a bug', new TypeError('x is not a function'), false],
  ]
  for (const [name, failure, isRetried] of cases) {
    const memory = new MemoryBus()
    await memory.ensureTopics(topicSpecs(1))
    const controller = new AbortController()
    let polls = 0
    const consumer = async (options: ConsumerOptions): Promise<BusConsumer> => {
      const inner = await memory.consumer(options)
      return {
        poll: () => {
          polls += 1
          // The retry's pause ends at once when the signal aborts: no test sleeps. A second poll
          // after a failure that cannot be retried ends the test too (and fails it).
          if (isRetried || polls > 1) controller.abort()
          return Promise.reject(failure)
        },
        commit: (consumed) => inner.commit(consumed),
        assignment: () => inner.assignment(),
        beginTransaction: () => inner.beginTransaction(),
        close: () => inner.close(),
      }
    }
    const bus: Bus = {
      ensureTopics: (specs) => memory.ensureTopics(specs),
      produce: (records) => memory.produce(records),
      consumer,
      readToEnd: (topic, partitions) => memory.readToEnd(topic, partitions),
      partitionOf: (topic, key) => memory.partitionOf(topic, key),
      close: () => memory.close(),
    }
    const running = materialiseViews({
      bus,
      topics,
      views: createViews({ maxBarsPerSymbol: 10 }),
      logger: pino({ level: 'silent' }),
      signal: controller.signal,
      now: () => 0,
    })
    if (isRetried) await running
    else await assert.rejects(running, (error) => error === failure, name)
    assert.equal(polls, 1, name)
  }
})
