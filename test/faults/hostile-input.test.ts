// Issue 8: property-generated hostile messages at volume, interleaved with real series, through the
// processor and the trainer as processes. Every bad message is one dead letter with its reason; the
// real series' features, predictions and snapshots are unchanged; no service restarts.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import fc from 'fast-check'
import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { seededRandom } from '../fixtures/seeded-random.ts'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../src/core/contracts/dead-letter.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { assertSameBySymbol, assertSameSnapshots, valuesByKey } from '../support/compare-outputs.ts'
import {
  assertDeadLettersByBytes,
  assertOneDeadLetterPerBadMessage,
  badPositions,
} from '../support/dead-letters.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { hostileRecipes, saltStream } from '../support/hostile-quotes.ts'
import { hostileRows } from '../support/hostile-rows.ts'
import { byEventTime } from '../support/relabelled-series.ts'
import { TestPipeline } from '../support/test-pipeline.ts'
import { FAULT_PROFILE } from './profile.ts'

const PARTITIONS = 3
const text = new TextDecoder()
const LOOP_RESTART = 'consumer failed: restoring state from the last commit'

let p: TestPipeline | undefined
after(async () => {
  await p?.close()
})

describe('hostile input at volume', () => {
  test(
    `${FAULT_PROFILE.hostileMessages} hostile quotes and feature rows among real series: one dead letter each, real outputs unchanged`,
    { timeout: 600_000 },
    async (t) => {
      t.diagnostic(`profile ${FAULT_PROFILE.name}, seed ${FAULT_PROFILE.seed}`)
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const expected = expectedOutputs([aapl.bars, sp500.bars])
      const random = seededRandom(FAULT_PROFILE.seed)
      const quoteCount = Math.round(FAULT_PROFILE.hostileMessages * 0.8)
      const rowCount = FAULT_PROFILE.hostileMessages - quoteCount
      const recipes = fc.sample(hostileRecipes({ nowMs: Date.now(), hugeWeight: 1 }), {
        numRuns: quoteCount,
        seed: FAULT_PROFILE.seed,
      })
      const stream = saltStream(byEventTime(aapl.quotes, sp500.quotes), recipes, () => random.uniform())
      // Made from the oldest row: one that slipped through as valid would be skipped as stale and
      // then miss its dead letter, instead of jumping the symbol ahead.
      const firstRow = JSON.parse(expected.features.get('AAPL')?.[0] ?? '{}') as FeatureRow
      const badRows = fc.sample(hostileRows(firstRow), { numRuns: rowCount, seed: FAULT_PROFILE.seed + 1 })

      const pipeline = await TestPipeline.create('faults-hostile', {
        bootstrap: kafkaBootstrap(),
        partitions: PARTITIONS,
      })
      p = pipeline
      const processor = pipeline.start('process')
      const trainer = pipeline.start('train')
      await Promise.all([processor.waitReady(), trainer.waitReady()])
      const pids = [processor.pid, trainer.pid]
      const startedAt = Date.now()
      const featuresTopic = pipeline.topic(TOPICS.features)
      await Promise.all([
        pipeline.produceRaw(stream, 500),
        (async () => {
          for (let start = 0; start < badRows.length; start += 100) {
            const batch = badRows.slice(start, start + 100)
            await pipeline.probe.bus.produce(
              batch.map((row) => ({ topic: featuresTopic, key: row.key, value: row.value })),
            )
          }
        })(),
      ])
      await pipeline.waitForCaughtUp(240_000)
      t.diagnostic(
        `${stream.length} quotes (${recipes.length} hostile) and ${badRows.length} hostile rows consumed in ${Date.now() - startedAt} ms`,
      )

      // The features topic holds the processor's rows and, injected beside them, the hostile ones.
      const features = valuesByKey(await pipeline.probe.read(featuresTopic))
      for (const row of badRows) {
        const values = features.get(row.key) ?? []
        const at = values.indexOf(row.value === null ? '(tombstone)' : text.decode(row.value))
        assert.ok(at >= 0, `the hostile ${row.kind} row is in the features topic`)
        values.splice(at, 1)
        if (values.length === 0) features.delete(row.key)
      }
      assertSameBySymbol(features, expected.features, 'features')
      assertSameBySymbol(
        valuesByKey(await pipeline.probe.read(pipeline.topic(TOPICS.predictions))),
        expected.predictions,
        'predictions',
      )
      assertSameSnapshots(
        await pipeline.probe.read(pipeline.topic(TOPICS.models)),
        expected.snapshots,
        'latest snapshots',
      )

      const letters = await pipeline.probe.read(pipeline.topic(TOPICS.deadLetters))
      const serviceOf = (value: Uint8Array | null): string => {
        const letter = decodeMessage(deadLetterSchema, value)
        return letter.ok ? letter.value.service : 'unreadable'
      }
      const bad = badPositions(stream, await pipeline.probe.read(pipeline.topic(TOPICS.quotes)), PARTITIONS)
      const quoteKinds = assertOneDeadLetterPerBadMessage(
        letters.filter((letter) => serviceOf(letter.value) === 'processor'),
        bad,
        'processor',
      )
      const rowKinds = assertDeadLettersByBytes(
        letters.filter((letter) => serviceOf(letter.value) !== 'processor'),
        badRows,
        'trainer',
      )
      t.diagnostic(`processor dead letters by kind: ${JSON.stringify(Object.fromEntries(quoteKinds))}`)
      t.diagnostic(`trainer dead letters by kind: ${JSON.stringify(Object.fromEntries(rowKinds))}`)

      for (const service of [processor, trainer]) {
        assert.ok(service.isRunning, `${service.name} is still running`)
        assert.equal(
          service.logLines().filter((line) => line.msg === LOOP_RESTART).length,
          0,
          `${service.name} never restarted its loop`,
        )
      }
      assert.deepEqual([processor.pid, trainer.pid], pids)
      const dead = await processor.metric('quotecast_processor_dead_letters_total')
      assert.equal(dead, recipes.length, 'the processor counted every dead letter')
    },
  )
})
