// Issue 4 on the real broker: `quotecast process` as a child process, compared with the core.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import fc from 'fast-check'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { seededRandom } from '../fixtures/seeded-random.ts'
import { partitionForKey } from '../../src/platform/bus/murmur2.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { assertSameBySymbol, partitionsByKey, valuesByKey } from '../support/compare-outputs.ts'
import { assertOneDeadLetterPerBadMessage, badPositions } from '../support/dead-letters.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { hostileRecipes, saltStream } from '../support/hostile-quotes.ts'
import { producePaced } from '../support/paced-producer.ts'
import { byEventTime, relabelledSeries, symbolsCoveringPartitions } from '../support/relabelled-series.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

const pipelines: TestPipeline[] = []
after(async () => {
  await Promise.all(pipelines.map((pipeline) => pipeline.close()))
})

async function pipeline(name: string, partitions: number): Promise<TestPipeline> {
  const created = await TestPipeline.create(name, { bootstrap: kafkaBootstrap(), partitions })
  pipelines.push(created)
  return created
}

/** Waits until the processor group has consumed every quote, so that every output is committed. */
async function processed(p: TestPipeline, timeoutMs = 90_000): Promise<void> {
  try {
    await p.probe.waitForCaughtUp(p.group('processor'), p.topic(TOPICS.quotes), { timeoutMs })
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${p.tails()}`, { cause: error })
  }
}

async function features(p: TestPipeline) {
  return valuesByKey(await p.probe.read(p.topic(TOPICS.features)))
}

describe('quotecast process on the real broker', () => {
  test(
    '(a) the features of a replayed real series equal the batch computation',
    { timeout: 120_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const expected = expectedOutputs([aapl.bars, sp500.bars])
      const p = await pipeline('proc-batch', 3)
      await p.produceQuotes(byEventTime(aapl.quotes, sp500.quotes))
      const startedAt = Date.now()
      await p.start('process').waitReady()
      await processed(p)
      t.diagnostic(
        `${aapl.quotes.length + sp500.quotes.length} quotes processed in ${Date.now() - startedAt} ms`,
      )

      assertSameBySymbol(await features(p), expected.features, 'features')
      assertSameBySymbol(valuesByKey(await p.probe.read(p.topic(TOPICS.bars))), expected.bars, 'bars')
      assert.deepEqual(await p.probe.read(p.topic(TOPICS.deadLetters)), [])
    },
  )

  test(
    '(b) SIGKILLed at several points mid-stream and restarted, it publishes the uninterrupted output: nothing lost, nothing twice',
    { timeout: 300_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = { bars: sp500.bars.slice(3000), quotes: sp500.quotes.slice(3000) }
      const expected = expectedOutputs([aapl.bars, gspc.bars])
      const quotes = byEventTime(aapl.quotes, gspc.quotes)
      const p = await pipeline('proc-kill', 3)
      const random = seededRandom(20_404)
      const producer = producePaced(p, quotes, { perSecond: 60 })
      let processor = p.start('process')
      const kills: string[] = []
      await processor.waitReady()
      for (let kill = 1; kill <= 5; kill++) {
        await sleep(200 + random.uniform() * (kill === 3 ? 800 : 2000))
        const consumed = await processor.metric('quotecast_processor_quotes_total')
        const killedAt = Date.now()
        await processor.kill('SIGKILL')
        processor = p.start('process', { name: `process#${kill}` })
        let line = `kill ${kill}: ${producer.produced()} of ${quotes.length} quotes produced, `
        line += consumed === undefined ? 'before it was ready' : `after it consumed ${consumed} quotes`
        // Not waiting after kill 2 makes kill 3 land while the process joins the group and restores.
        if (kill !== 2) line += `; ready again in ${(await processor.waitReady(), Date.now() - killedAt)} ms`
        kills.push(line)
      }
      await producer.done
      await processed(p)
      t.diagnostic(kills.join('\n'))
      assert.ok(kills.filter((line) => /consumed [1-9]/.test(line)).length >= 3, 'kills landed mid-stream')
      assert.ok(
        kills.some((line) => line.includes('before it was ready')),
        'a kill landed during start-up',
      )

      assertSameBySymbol(await features(p), expected.features, 'features')
      assertSameBySymbol(valuesByKey(await p.probe.read(p.topic(TOPICS.bars))), expected.bars, 'bars')
      assert.deepEqual(await p.probe.read(p.topic(TOPICS.deadLetters)), [])
    },
  )

  test(
    '(c) two instances in one group split the partitions and together publish the same output',
    { timeout: 120_000 },
    async () => {
      const partitions = 6
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const copies = symbolsCoveringPartitions('SPX.', 8, partitions).map((symbol, index) =>
        relabelledSeries(sp500.bars.slice(index * 500, index * 500 + 700), symbol),
      )
      const series = [aapl, ...copies]
      const expected = expectedOutputs(series.map((entry) => entry.bars))
      const p = await pipeline('proc-pair', partitions)
      const first = p.start('process', { name: 'process-a' })
      const second = p.start('process', { name: 'process-b' })
      await Promise.all([first.waitReady(), second.waitReady()])
      // Both own partitions before any quote exists, so the work is split from the first record.
      await p.probe.waitForMembers(p.group('processor'), 2, 30_000)
      await p.produceQuotes(byEventTime(...series.map((entry) => entry.quotes)))
      await processed(p)

      const shares = await Promise.all(
        [first, second].map((processor) => processor.metric('quotecast_processor_quotes_total')),
      )
      const total = series.reduce((sum, entry) => sum + entry.quotes.length, 0)
      assert.equal(
        (shares[0] ?? 0) + (shares[1] ?? 0),
        total,
        `each quote processed once in all (${shares.join(' + ')})`,
      )
      assert.ok(
        shares.every((share) => share !== undefined && share > 0),
        `both instances worked: ${shares.join(' + ')}`,
      )
      const records = await p.probe.read(p.topic(TOPICS.features))
      assertSameBySymbol(valuesByKey(records), expected.features, 'features')
      for (const [symbol, used] of partitionsByKey(records)) {
        assert.deepEqual([...used], [partitionForKey(symbol, partitions)], `${symbol} stays in its partition`)
      }
    },
  )

  test(
    '(d) a stream salted with malformed messages gives the same features plus one dead letter per bad message',
    { timeout: 120_000 },
    async (t) => {
      const partitions = 3
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = { bars: sp500.bars.slice(-1500), quotes: sp500.quotes.slice(-1500) }
      const expected = expectedOutputs([aapl.bars, gspc.bars])
      const recipes = fc.sample(hostileRecipes({ nowMs: Date.now(), hugeWeight: 1 }), {
        numRuns: 400,
        seed: 44,
      })
      const random = seededRandom(44)
      const stream = saltStream(byEventTime(aapl.quotes, gspc.quotes), recipes, () => random.uniform())
      const p = await pipeline('proc-salted', partitions)
      await p.produceRaw(stream, 200)
      await p.start('process').waitReady()
      await processed(p)

      assertSameBySymbol(await features(p), expected.features, 'features')
      const bad = badPositions(stream, await p.probe.read(p.topic(TOPICS.quotes)), partitions)
      const kinds = assertOneDeadLetterPerBadMessage(
        await p.probe.read(p.topic(TOPICS.deadLetters)),
        bad,
        'processor',
      )
      t.diagnostic(`dead letters by kind: ${JSON.stringify(Object.fromEntries(kinds))}`)
    },
  )
})
