import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { predictionSchema, type Prediction } from '../../src/core/contracts/prediction.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { realSeriesSteps } from '../fixtures/predictor/real-series-steps.ts'
import { toRecords } from '../fixtures/predictor/to-records.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

const pipelines: TestPipeline[] = []
after(async () => {
  await Promise.all(pipelines.map((pipeline) => pipeline.close('SIGTERM')))
})

/** The newest prediction of each symbol on the predictions topic (per key, the last in its partition). */
async function latestOnTopic(p: TestPipeline): Promise<Map<string, Prediction>> {
  const latest = new Map<string, Prediction>()
  for (const record of await p.probe.read(p.topic(TOPICS.predictions))) {
    const decoded = decodeMessage(predictionSchema, record.value)
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error)
    latest.set(decoded.value.symbol, decoded.value)
  }
  return latest
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url)
  return { status: response.status, body: await response.json() }
}

/** Produces in small batches: model snapshots are a few kB each, and a request has a size limit. */
async function produce(p: TestPipeline, records: ReturnType<typeof toRecords>): Promise<void> {
  for (let start = 0; start < records.length; start += 100)
    await p.probe.bus.produce(records.slice(start, start + 100))
}

const withoutVersion = ({ schema: _schema, ...fields }: Prediction) => fields

// The lead extends this to the whole pipeline (fetcher → processor → trainer → serve); here the
// test publishes what the trainer would, from real series, and runs `quotecast serve` as processes.
describe('prediction service on the real broker', { timeout: 240_000 }, () => {
  test('every replica serves, for every symbol, the prediction on the predictions topic, and follows new ones', async () => {
    const p = await TestPipeline.create('predictor', { bootstrap: kafkaBootstrap(), partitions: 3 })
    pipelines.push(p)
    const aapl = realSeriesSteps('AAPL', 400)
    const gspc = realSeriesSteps('^GSPC', 400)
    await produce(p, toRecords([...aapl.slice(0, -1), ...gspc], p.prefix))

    const replicas = [p.start('serve', { name: 'serve#1' }), p.start('serve', { name: 'serve#2' })]
    const bases = await Promise.all(replicas.map((replica) => replica.waitReady(90_000)))
    const expected = await latestOnTopic(p)
    assert.deepEqual([...expected.keys()].sort(), ['AAPL', '^GSPC'])

    for (const base of bases) {
      const symbols = await getJson(`${base}/api/v1/symbols`)
      assert.equal(symbols.status, 200)
      const listed = (symbols.body as { symbols: { symbol: string }[] }).symbols.map((s) => s.symbol)
      assert.deepEqual(listed, [...expected.keys()].sort())
      for (const [symbol, prediction] of expected) {
        const { status, body } = await getJson(`${base}/api/v1/predictions/${encodeURIComponent(symbol)}`)
        assert.equal(status, 200, `${base} ${symbol}`)
        const { dataAsOf, ...served } = body as Record<string, unknown>
        assert.deepEqual(served, withoutVersion(prediction), `${base} ${symbol}`)
        assert.equal(dataAsOf, prediction.basedOnBarStart)
      }
      assert.equal((await getJson(`${base}/api/v1/predictions/MSFT`)).status, 404)
    }

    const next = aapl.at(-1)!
    await produce(p, toRecords([next], p.prefix))
    const [newest] = [(await latestOnTopic(p)).get('AAPL')!]
    assert.equal(newest.basedOnBarStart, next.bar.start)
    for (const base of bases) {
      const deadline = Date.now() + 30_000
      let body: unknown
      while (Date.now() < deadline) {
        body = (await getJson(`${base}/api/v1/predictions/AAPL`)).body
        if ((body as { basedOnBarStart?: number }).basedOnBarStart === next.bar.start) break
        await sleep(100)
      }
      const { dataAsOf: _dataAsOf, ...served } = body as Record<string, unknown>
      assert.deepEqual(served, withoutVersion(newest), `${base} follows the topic`)
      const scores = await getJson(`${base}/api/v1/scores/AAPL`)
      assert.equal((scores.body as { version: number }).version, next.snapshot.version)
    }
    const applied = await replicas[0]!.metric('quotecast_predictor_records_total')
    assert.ok(
      applied !== undefined && applied >= aapl.length * 2 + gspc.length,
      `records consumed: ${applied}`,
    )
  })
})
