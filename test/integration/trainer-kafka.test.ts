// Issue 5 on the real broker: backfill → `quotecast process` → `quotecast train` as child processes,
// compared with the pure training step that `quotecast evaluate` runs.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { seededRandom } from '../fixtures/seeded-random.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { assertSameBySymbol, assertSameSnapshots, valuesByKey } from '../support/compare-outputs.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { producePaced } from '../support/paced-producer.ts'
import { byEventTime } from '../support/relabelled-series.ts'
import { runCommand } from '../support/services.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

const pipelines: TestPipeline[] = []
after(async () => {
  await Promise.all(pipelines.map((pipeline) => pipeline.close()))
})

async function pipeline(name: string): Promise<TestPipeline> {
  const created = await TestPipeline.create(name, { bootstrap: kafkaBootstrap(), partitions: 3 })
  pipelines.push(created)
  return created
}

/** Waits until the processor, then the trainer, consumed everything: every output is then committed. */
async function trained(p: TestPipeline, timeoutMs = 120_000): Promise<void> {
  try {
    await p.probe.waitForCaughtUp(p.group('processor'), p.topic(TOPICS.quotes), { timeoutMs })
    await p.probe.waitForCaughtUp(p.group('trainer'), p.topic(TOPICS.features), { timeoutMs })
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${p.tails()}`, { cause: error })
  }
}

async function assertTrainerOutputs(
  p: TestPipeline,
  expected: ReturnType<typeof expectedOutputs>,
): Promise<void> {
  assertSameBySymbol(
    valuesByKey(await p.probe.read(p.topic(TOPICS.predictions))),
    expected.predictions,
    'predictions',
  )
  assertSameSnapshots(await p.probe.read(p.topic(TOPICS.models)), expected.snapshots, 'latest snapshots')
  assert.deepEqual(await p.probe.read(p.topic(TOPICS.deadLetters)), [])
}

describe('quotecast train on the real broker', () => {
  test(
    'backfilled history flows through processor and trainer into the predictions `evaluate` computes',
    { timeout: 180_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const expected = expectedOutputs([aapl.bars, sp500.bars])
      const p = await pipeline('train-backfill')
      const backfill = await runCommand('backfill', {
        kafka: p.bootstrap,
        topicPrefix: p.prefix,
        args: ['--provider', 'replay', '--symbols', 'AAPL,^GSPC', '--from', '2000-01-01'],
      })
      assert.equal(backfill.code, 0, backfill.output)
      const startedAt = Date.now()
      await Promise.all([p.start('process').waitReady(), p.start('train').waitReady()])
      await trained(p)
      t.diagnostic(
        `${aapl.bars.length + sp500.bars.length} bars backfilled, processed and trained in ${Date.now() - startedAt} ms`,
      )

      assertSameBySymbol(
        valuesByKey(await p.probe.read(p.topic(TOPICS.features))),
        expected.features,
        'features',
      )
      await assertTrainerOutputs(p, expected)
    },
  )

  test(
    'the trainer SIGKILLed mid-stream and restarted publishes the same predictions and snapshots',
    { timeout: 300_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = { bars: sp500.bars.slice(-1800), quotes: sp500.quotes.slice(-1800) }
      const expected = expectedOutputs([aapl.bars, gspc.bars])
      const quotes = byEventTime(aapl.quotes, gspc.quotes)
      const p = await pipeline('train-kill')
      const random = seededRandom(5)
      await p.start('process').waitReady()
      const producer = producePaced(p, quotes, { perSecond: 60 })
      let trainer = p.start('train')
      await trainer.waitReady()
      const kills: string[] = []
      for (let kill = 1; kill <= 4; kill++) {
        await sleep(200 + random.uniform() * 2000)
        const rows = await trainer.metric('quotecast_trainer_rows_total')
        const killedAt = Date.now()
        await trainer.kill('SIGKILL')
        trainer = p.start('train', { name: `train#${kill}` })
        await trainer.waitReady()
        kills.push(
          `kill ${kill}: ${producer.produced()} of ${quotes.length} quotes produced, after ${rows} rows; ready again in ${Date.now() - killedAt} ms`,
        )
      }
      await producer.done
      await trained(p)
      t.diagnostic(kills.join('\n'))
      assert.ok(kills.filter((line) => /after [1-9]/.test(line)).length >= 3, 'kills landed mid-stream')
      await assertTrainerOutputs(p, expected)
    },
  )
})
