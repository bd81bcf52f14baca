// Issue 18, item 2: the Kafka Streams reference implementation (bench/kafka-streams/) does the
// processor's job: on the same quotes and broker, its bars and feature rows equal quotecast's.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import {
  buildKafkaStreamsApp,
  startKafkaStreamsApp,
  type KafkaStreamsApp,
} from '../../bench/kafka-streams/kafka-streams-app.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { compareOutputs } from '../support/compare-implementations.ts'
import { valuesByKey } from '../support/compare-outputs.ts'
import { byEventTime } from '../support/relabelled-series.ts'
import { seededQuoteStream } from '../support/seeded-quote-stream.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

const PARTITIONS = 3
const build = buildKafkaStreamsApp()
// Skipped without java or Maven; a build that broke fails the test below.
const skip = !build.ok && build.kind === 'unavailable' ? build.reason : false
if (skip !== false) console.log(`# kafka-streams equivalence skipped: ${skip}`)
else if (build.ok) console.log(`# kafka-streams app: ${build.how}, ${build.seconds.toFixed(1)} s`)

const pipelines: TestPipeline[] = []
const apps: KafkaStreamsApp[] = []
after(async () => {
  await Promise.all(apps.map((app) => app.stop()))
  await Promise.all(pipelines.map((pipeline) => pipeline.close()))
})

describe('Kafka Streams reference implementation', { skip }, () => {
  test(
    'on the bundled series and a seeded stream with duplicates, late quotes and gaps, its bars and feature rows equal quotecast’s',
    { timeout: 240_000 },
    async (t) => {
      if (!build.ok) assert.fail(build.reason)
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const seeded = seededQuoteStream(sp500.bars.slice(0, 400))
      const quotes = [...byEventTime(aapl.quotes, sp500.quotes), ...seeded.quotes]
      const bootstrap = kafkaBootstrap()
      const ours = await TestPipeline.create('xs-quotecast', { bootstrap, partitions: PARTITIONS })
      pipelines.push(ours)
      const other = await TestPipeline.create('xs-streams', { bootstrap, partitions: PARTITIONS })
      pipelines.push(other)
      const theirs = other.prefix
      const quotesTopic = other.topic(TOPICS.quotes)
      await ours.produceQuotes(quotes)
      await other.produceQuotes(quotes)

      const startedAt = Date.now()
      await ours.start('process').waitReady()
      const applicationId = `${theirs}kafka-streams`
      const app = await startKafkaStreamsApp({
        classpath: build.classpath,
        bootstrap,
        topicPrefix: theirs,
        applicationId,
        isExactlyOnce: true,
      })
      apps.push(app)
      await ours.probe.waitForCaughtUp(ours.group('processor'), ours.topic(TOPICS.quotes), {
        timeoutMs: 90_000,
      })
      try {
        await ours.probe.waitForCaughtUp(applicationId, quotesTopic, { timeoutMs: 120_000 })
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${app.tail()}`, { cause: error })
      }
      t.diagnostic(
        `${quotes.length} quotes (${JSON.stringify(seeded.counts)}); both caught up in ${Date.now() - startedAt} ms`,
      )

      for (const topic of [TOPICS.bars, TOPICS.features] as const) {
        const expected = valuesByKey(await ours.probe.read(ours.topic(topic)))
        const actual = valuesByKey(await ours.probe.read(theirs + topic))
        const compared = compareOutputs(actual, expected, topic)
        t.diagnostic(
          `${topic}: ${compared.records} records, ${compared.numbers} numbers, largest difference ${compared.largestDifference}`,
        )
        assert.ok(compared.records > 6000, `${topic}: ${compared.records} records compared`)
      }
      const deadLetters = async (prefix: string) =>
        (await ours.probe.read(prefix + TOPICS.deadLetters))
          .map((record) => {
            const letter = JSON.parse(new TextDecoder().decode(record.value ?? new Uint8Array())) as {
              partition: number
              offset: string
              reason: string
            }
            return `${letter.partition}:${letter.offset}:${letter.reason.split(':')[0] ?? ''}`
          })
          .sort()
      const ourLetters = await deadLetters(ours.prefix)
      assert.deepEqual(
        await deadLetters(theirs),
        ourLetters,
        'the same quotes dead-lettered, for the same kind of reason',
      )
      assert.ok(ourLetters.length >= seeded.counts.late, `${ourLetters.length} dead letters`)
    },
  )
})
