// The whole pipeline on the real broker, every stage a `quotecast` child process:
// topics → backfill (replay provider) → process → train → serve, checked end to end.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { TOPICS, topicSpecs } from '../../src/core/contracts/topics.ts'
import { kafkaBootstrap, uniqueTopicPrefix } from '../helpers/kafka.ts'
import { apiRequests, referenceAnswers, referenceApp } from '../support/api-reference.ts'
import { settledAnswers } from '../support/settled-answers.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { assertSameBySymbol, assertSameSnapshots, valuesByKey } from '../support/compare-outputs.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { KafkaProbe } from '../support/kafka-probe.ts'
import { runCommand, startService, stopServices, type ServiceProcess } from '../support/services.ts'

const services: ServiceProcess[] = []
const probe = new KafkaProbe(kafkaBootstrap())
after(async () => {
  await stopServices(services, 'SIGKILL')
  await probe.close()
})

describe('the pipeline, every stage a process on the real broker', () => {
  test(
    'backfilled real history ends as the predictions and API answers the core computes',
    { timeout: 240_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const expected = expectedOutputs([aapl.bars, sp500.bars])
      const prefix = `${uniqueTopicPrefix('pipeline')}.`
      const topic = (name: (typeof TOPICS)[keyof typeof TOPICS]): string => prefix + name
      const kafka = kafkaBootstrap()
      const startedAt = Date.now()

      const topics = await runCommand('topics', { kafka, topicPrefix: prefix, args: ['--partitions', '3'] })
      assert.equal(topics.code, 0, topics.output)
      for (const spec of topicSpecs(3, prefix))
        assert.match(topics.output, new RegExp(`"topic":"${spec.name.replace('^', '\\^')}"`))

      const start = (command: 'process' | 'train' | 'serve'): ServiceProcess => {
        const service = startService(command, {
          kafka,
          topicPrefix: prefix,
          args: command === 'serve' ? ['--partitions', '3'] : [],
        })
        services.push(service)
        return service
      }
      const [, , apiUrl] = await Promise.all([
        start('process').waitReady(),
        start('train').waitReady(),
        start('serve').waitReady(),
      ])
      const backfill = await runCommand('backfill', {
        kafka,
        topicPrefix: prefix,
        args: ['--provider', 'replay', '--symbols', 'AAPL,^GSPC', '--from', '2000-01-01'],
      })
      assert.equal(backfill.code, 0, backfill.output)

      await probe.waitForCaughtUp(`${prefix}quotecast-processor`, topic(TOPICS.quotes), { timeoutMs: 90_000 })
      await probe.waitForCaughtUp(`${prefix}quotecast-trainer`, topic(TOPICS.features), { timeoutMs: 90_000 })
      assertSameBySymbol(valuesByKey(await probe.read(topic(TOPICS.bars))), expected.bars, 'bars')
      assertSameBySymbol(valuesByKey(await probe.read(topic(TOPICS.features))), expected.features, 'features')
      assertSameBySymbol(
        valuesByKey(await probe.read(topic(TOPICS.predictions))),
        expected.predictions,
        'predictions',
      )
      assertSameSnapshots(await probe.read(topic(TOPICS.models)), expected.snapshots, 'latest snapshots')
      assert.deepEqual(await probe.read(topic(TOPICS.deadLetters)), [])

      const requests = apiRequests(expected)
      const reference = await referenceAnswers(await referenceApp(expected), requests)
      const answers = await settledAnswers(apiUrl, requests, reference, 30_000)
      assert.equal(answers.size, requests.length)
      for (const [key, answer] of answers) assert.deepEqual(answer, reference.get(key), key)
      t.diagnostic(`topics, backfill, process, train and serve in ${Date.now() - startedAt} ms`)
    },
  )
})
