// Issue 8: the broker stopped and restarted while the pipeline streams. A broker of its own, so
// that the shared one stays up for the other tests. Every service reconnects by itself (same
// process) and the outputs and API answers are complete and exact.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { startKafkaBroker, type KafkaBroker } from '../../src/platform/kafka-broker/start-broker.ts'
import { apiRequests, referenceAnswers, referenceApp } from '../support/api-reference.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { producePaced } from '../support/paced-producer.ts'
import { byEventTime } from '../support/relabelled-series.ts'
import { settledAnswers } from '../support/settled-answers.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

let broker: KafkaBroker | undefined
let p: TestPipeline | undefined
after(async () => {
  await p?.close()
  await broker?.stop()
})

describe('a broker outage mid-stream', () => {
  test(
    'killed (SIGKILL of the JVM) and restarted: every service reconnects by itself, outputs and answers complete and exact',
    { timeout: 600_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = { bars: sp500.bars.slice(-1500), quotes: sp500.quotes.slice(-1500) }
      const expected = expectedOutputs([aapl.bars, gspc.bars])
      const quotes = byEventTime(aapl.quotes, gspc.quotes)
      const half = Math.floor(quotes.length / 2)
      broker = await startKafkaBroker({ quiet: true })
      const pipeline = await TestPipeline.create('faults-broker', {
        bootstrap: broker.bootstrap,
        partitions: 3,
      })
      p = pipeline
      const services = [
        pipeline.start('process'),
        pipeline.start('train'),
        pipeline.start('serve', { args: ['--partitions', '3'] }),
      ]
      const apiUrl = (await Promise.all(services.map((service) => service.waitReady())))[2]!
      const pids = services.map((service) => service.pid)

      await producePaced(pipeline, quotes.slice(0, half - 600), { perSecond: 150 }).done
      // A burst, so that the stop lands while the processor and the trainer are in transactions.
      await pipeline.produceQuotes(quotes.slice(half - 600, half))
      await sleep(150)
      const stoppedAt = Date.now()
      await broker.stopProcess({ kill: true })
      const downMs = 8000
      await sleep(downMs)
      await broker.startProcess()
      const restartedAt = Date.now()
      await producePaced(pipeline, quotes.slice(half), { perSecond: 300 }).done
      await pipeline.waitForCaughtUp(240_000)
      t.diagnostic(
        `broker down ${restartedAt - stoppedAt} ms; everything consumed ${Date.now() - restartedAt} ms after the restart`,
      )

      await pipeline.assertOutputs(expected)

      const requests = apiRequests(expected)
      const reference = await referenceAnswers(await referenceApp(expected), requests)
      const answers = await settledAnswers(apiUrl, requests, reference, 90_000)
      for (const [key, answer] of answers) assert.deepEqual(answer, reference.get(key), key)
      assert.deepEqual(
        services.map((service) => service.pid),
        pids,
      )
      for (const service of services)
        assert.ok(service.isRunning, `${service.name} reconnected by itself: ${service.describeExit()}`)
    },
  )
})
