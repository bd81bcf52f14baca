// Issue 19's two high findings on the real broker: one unreadable changelog value (processor-state)
// or snapshot (models) used to stop the service's restore forever. Now it is dead-lettered, its
// symbol starts fresh, the service is ready within seconds and the other symbols' outputs are exact.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../src/core/contracts/dead-letter.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { decodeSnapshot } from '../../src/core/training/upgrade-snapshot.ts'
import type { BusRecord, OutgoingRecord } from '../../src/platform/bus/bus.ts'
import { partitionForKey } from '../../src/platform/bus/murmur2.ts'
import { decodeProcessorState } from '../../src/services/processor/processor-state-codec.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { assertSameBySymbol, assertSameSnapshots, valuesByKey } from '../support/compare-outputs.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { byEventTime } from '../support/relabelled-series.ts'
import type { ServiceProcess } from '../support/services.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

const PARTITIONS = 3
/** "Within seconds": a restart's start-up, group join and restore, on a shared 2-core machine. */
const READY_WITHIN_MS = 15_000
const ERROR_LEVEL = 50

const pipelines: TestPipeline[] = []
after(async () => {
  await Promise.all(pipelines.map((pipeline) => pipeline.close()))
})

async function pipeline(name: string): Promise<TestPipeline> {
  const created = await TestPipeline.create(name, { bootstrap: kafkaBootstrap(), partitions: PARTITIONS })
  pipelines.push(created)
  return created
}

async function caughtUp(p: TestPipeline, service: 'processor' | 'trainer', topic: string): Promise<void> {
  try {
    await p.probe.waitForCaughtUp(p.group(service), topic, { timeoutMs: 120_000 })
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${p.tails()}`, { cause: error })
  }
}

/** Starts the command and returns it with the milliseconds until /readyz answered 200. */
async function startTimed(p: TestPipeline, command: 'process' | 'train', name: string) {
  const startedAt = Date.now()
  const service = p.start(command, { name })
  await service.waitReady(60_000)
  return { service, readyInMs: Date.now() - startedAt }
}

async function stop(service: ServiceProcess): Promise<void> {
  const exit = await service.kill('SIGTERM')
  assert.equal(exit.code, 0, `${service.name} stopped cleanly:\n${service.tail()}`)
}

/** Produces in batches of 500, acknowledged, in order. */
async function produce(p: TestPipeline, records: readonly OutgoingRecord[]): Promise<void> {
  for (let start = 0; start < records.length; start += 500)
    await p.probe.bus.produce(records.slice(start, start + 500))
}

/** The dead letters as the fields a reader needs to find the bad record again. */
async function deadLetters(p: TestPipeline) {
  return (await p.probe.read(p.topic(TOPICS.deadLetters))).map((record) => {
    const letter = decodeMessage(deadLetterSchema, record.value)
    assert.ok(letter.ok, letter.ok ? '' : letter.error)
    const { sourceTopic, partition, offset, key, service } = letter.value
    return {
      recordKey: record.key,
      sourceTopic,
      partition,
      offset,
      key,
      service,
      reason: letter.value.reason,
    }
  })
}

const lastOf = (records: readonly BusRecord[], key: string): BusRecord =>
  records.findLast((r) => r.key === key)!

function assertErrorLogged(service: ServiceProcess, key: string): void {
  const line = service
    .logLines()
    .find(
      (entry) => entry.level === ERROR_LEVEL && entry['key'] === key && /unreadable/.test(entry.msg ?? ''),
    )
  assert.ok(line, `an error-level log line names ${key}:\n${service.tail()}`)
}

describe('an unreadable state value on the real broker', () => {
  test(
    'a corrupted processor-state value: the processor is ready within seconds, dead-letters it once, and the other symbol is exact',
    { timeout: 300_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = { bars: sp500.bars.slice(-1500), quotes: sp500.quotes.slice(-1500) }
      const half = { aapl: aapl.quotes.length >> 1, gspc: gspc.quotes.length >> 1 }
      const p = await pipeline('unreadable-proc')
      const stateTopic = p.topic(TOPICS.processorState)

      await p.produceQuotes(byEventTime(aapl.quotes.slice(0, half.aapl), gspc.quotes.slice(0, half.gspc)))
      const first = await startTimed(p, 'process', 'process#1')
      await caughtUp(p, 'processor', p.topic(TOPICS.quotes))
      await stop(first.service)

      // AAPL's latest state, cut in half: what a torn or foreign write leaves.
      const written = lastOf(await p.probe.read(stateTopic), 'AAPL').value!
      const corrupt = written.subarray(0, written.byteLength >> 1)
      const decoded = decodeProcessorState(corrupt)
      assert.ok(!decoded.ok, 'the value is unreadable')
      await p.probe.bus.produce([{ topic: stateTopic, key: 'AAPL', value: corrupt }])
      const bad = lastOf(await p.probe.read(stateTopic), 'AAPL')
      assert.equal(bad.partition, partitionForKey('AAPL', PARTITIONS))

      // The last GSPC quote waits for a third start, which must not dead-letter the value again.
      const rest = gspc.quotes.slice(half.gspc)
      await p.produceQuotes(byEventTime(aapl.quotes.slice(half.aapl), rest.slice(0, -1)))
      const second = await startTimed(p, 'process', 'process#2')
      await caughtUp(p, 'processor', p.topic(TOPICS.quotes))
      assert.equal(await second.service.metric('quotecast_processor_unreadable_states_total'), 1)
      assertErrorLogged(second.service, 'AAPL')
      await stop(second.service)

      await p.produceQuotes(rest.slice(-1))
      const third = await startTimed(p, 'process', 'process#3')
      await caughtUp(p, 'processor', p.topic(TOPICS.quotes))
      assert.equal(await third.service.metric('quotecast_processor_unreadable_states_total'), 0)
      t.diagnostic(
        `ready in ${first.readyInMs} ms (fresh), ${second.readyInMs} ms (after the corrupted value), ${third.readyInMs} ms (again)`,
      )
      assert.ok(second.readyInMs < READY_WITHIN_MS, `ready in ${second.readyInMs} ms`)

      assert.deepEqual(await deadLetters(p), [
        {
          recordKey: 'AAPL',
          sourceTopic: stateTopic,
          partition: bad.partition,
          offset: String(bad.offset),
          key: 'AAPL',
          service: 'processor',
          reason: `unreadable ${stateTopic} value, its key starts fresh: ${decoded.error}`,
        },
      ])

      // GSPC as if nothing happened; AAPL's first half as before, then from a fresh state.
      const whole = expectedOutputs([aapl.bars, gspc.bars])
      const fresh = expectedOutputs([aapl.bars.slice(half.aapl)])
      const expectedFeatures = new Map([
        ['^GSPC', whole.features.get('^GSPC')!],
        ['AAPL', [...whole.features.get('AAPL')!.slice(0, half.aapl), ...fresh.features.get('AAPL')!]],
      ])
      const features = valuesByKey(await p.probe.read(p.topic(TOPICS.features)))
      assertSameBySymbol(features, expectedFeatures, 'features')
      assertSameBySymbol(valuesByKey(await p.probe.read(p.topic(TOPICS.bars))), whole.bars, 'bars')
    },
  )

  test(
    'an undecodable models value for a key EVIL: the trainer is ready within seconds, dead-letters it once, and the other symbols are exact',
    { timeout: 300_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = sp500.bars.slice(-1500)
      const expected = expectedOutputs([aapl.bars, gspc])
      const p = await pipeline('unreadable-train')
      const featuresTopic = p.topic(TOPICS.features)
      const modelsTopic = p.topic(TOPICS.models)
      const rows = (symbol: string, from: number, to?: number): OutgoingRecord[] =>
        expected.features
          .get(symbol)!
          .slice(from, to)
          .map((row) => ({ topic: featuresTopic, key: symbol, value: new TextEncoder().encode(row) }))
      const half = { aapl: aapl.bars.length >> 1, gspc: gspc.length >> 1 }

      await produce(p, [...rows('AAPL', 0, half.aapl), ...rows('^GSPC', 0, half.gspc)])
      const first = await startTimed(p, 'train', 'train#1')
      await caughtUp(p, 'trainer', featuresTopic)
      await stop(first.service)

      const evil = new TextEncoder().encode('not a model snapshot')
      const undecodable = decodeSnapshot(evil)
      assert.ok(!undecodable.ok, 'the value is undecodable')
      await p.probe.bus.produce([{ topic: modelsTopic, key: 'EVIL', value: evil }])
      const bad = lastOf(await p.probe.read(modelsTopic), 'EVIL')
      assert.equal(bad.partition, partitionForKey('AAPL', PARTITIONS), 'EVIL shares a partition with AAPL')

      await produce(p, [...rows('AAPL', half.aapl), ...rows('^GSPC', half.gspc, -1)])
      const second = await startTimed(p, 'train', 'train#2')
      await caughtUp(p, 'trainer', featuresTopic)
      assert.equal(await second.service.metric('quotecast_trainer_unreadable_snapshots_total'), 1)
      assertErrorLogged(second.service, 'EVIL')
      await stop(second.service)

      await produce(p, rows('^GSPC', -1))
      const third = await startTimed(p, 'train', 'train#3')
      await caughtUp(p, 'trainer', featuresTopic)
      assert.equal(await third.service.metric('quotecast_trainer_unreadable_snapshots_total'), 0)
      t.diagnostic(
        `ready in ${first.readyInMs} ms (fresh), ${second.readyInMs} ms (after the undecodable value), ${third.readyInMs} ms (again)`,
      )
      assert.ok(second.readyInMs < READY_WITHIN_MS, `ready in ${second.readyInMs} ms`)

      const letters = await deadLetters(p)
      assert.deepEqual(letters, [
        {
          recordKey: 'EVIL',
          sourceTopic: modelsTopic,
          partition: bad.partition,
          offset: String(bad.offset),
          key: 'EVIL',
          service: 'trainer',
          reason: `unreadable ${modelsTopic} value, its key starts fresh: ${undecodable.error}`,
        },
      ])

      assertSameBySymbol(
        valuesByKey(await p.probe.read(p.topic(TOPICS.predictions))),
        expected.predictions,
        'predictions',
      )
      const models = await p.probe.read(modelsTopic)
      assertSameSnapshots(
        models.filter((record) => record.key !== 'EVIL'),
        expected.snapshots,
        'latest snapshots',
      )
      assert.equal(lastOf(models, 'EVIL').value, null, 'a tombstone covers the undecodable value')
    },
  )
})
