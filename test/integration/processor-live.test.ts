// Issue 14 on the real broker: live daily bars close at the session close, re-sent backfills are duplicates.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { resolveBarConfig } from '../../src/core/bars/resolve-bar-config.ts'
import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import { TOPICS, topicSpecs } from '../../src/core/contracts/topics.ts'
import { createKafkaBus } from '../../src/platform/bus/kafka-bus.ts'
import { runProcessor } from '../../src/services/processor/run-processor.ts'
import { kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'

const bus = createKafkaBus({ bootstrapServers: kafkaBootstrapBrokers(), clientId: 'processor-live-test' })
after(() => bus.close())
const resolved = resolveBarConfig({ interval: '1d' })
if (!resolved.ok) throw new Error(resolved.error)
const barConfig = resolved.value
const decoder = new TextDecoder()

/** Runs the processor in this process on the real broker, with the wall clock `now`, until `stop`. */
async function startProcessor(prefix: string, now: () => number) {
  await bus.ensureTopics(topicSpecs(1, prefix))
  const registry = new Registry()
  const controller = new AbortController()
  const ready = Promise.withResolvers<undefined>()
  const running = runProcessor({
    bus,
    topicPrefix: prefix,
    barConfig,
    registry,
    logger: pino({ level: 'silent' }),
    signal: controller.signal,
    closeGraceMs: 300_000,
    now,
    onReady: () => ready.resolve(undefined),
  })
  await ready.promise
  const metric = async (name: string): Promise<number> =>
    ((await registry.getSingleMetric(name)?.get())?.values ?? []).reduce((sum, { value }) => sum + value, 0)
  /** Waits until the processor has consumed `count` quotes in all and committed their outputs. */
  const consumed = async (count: number): Promise<void> => {
    for (let waitedMs = 0; (await metric('quotecast_processor_quotes_total')) < count; waitedMs += 100) {
      if (waitedMs > 60_000) throw new Error(`the processor did not consume ${count} quotes`)
      await sleep(100)
    }
    await sleep(1500) // the batch's transaction commits after the count
  }
  const read = (name: string) => bus.readToEnd(prefix + name)
  const stop = async (): Promise<void> => {
    controller.abort()
    await running
  }
  return { metric, consumed, read, stop }
}

test(
  'two live snapshots of one day give one bar after the session close plus the grace',
  { timeout: 120_000 },
  async () => {
    const prefix = uniqueTopicPrefix('processor-live-session')
    let nowMs = Date.parse('2026-12-01T21:00:00Z')
    const processor = await startProcessor(prefix, () => nowMs)
    const snapshot = (asOf: string, price: number) => {
      const ms = Date.parse(asOf)
      return {
        schema: 1,
        id: `test:AAPL:snapshot:${ms}`,
        symbol: 'AAPL',
        exchange: 'NASDAQ',
        currency: 'USD',
        kind: 'snapshot',
        price,
        asOf: ms,
        fetchedAt: ms,
        source: 'test',
      }
    }
    const quotes = [snapshot('2026-12-01T15:00:00Z', 100), snapshot('2026-12-01T20:59:00Z', 102)]
    // The fetcher polls again after the close: the same observation, a duplicate.
    quotes.push(quotes[1]!)
    await bus.produce(
      quotes.map((quote) => ({ topic: prefix + TOPICS.quotes, key: 'AAPL', value: encodeMessage(quote) })),
    )
    await processor.consumed(3)
    assert.deepEqual(await processor.read(TOPICS.bars), [], 'nothing before the close plus the grace')
    nowMs = Date.parse('2026-12-01T21:05:00Z')
    let bars = await processor.read(TOPICS.bars)
    for (let waitedMs = 0; bars.length === 0 && waitedMs < 30_000; waitedMs += 200) {
      await sleep(200)
      bars = await processor.read(TOPICS.bars)
    }
    await processor.stop()
    assert.deepEqual(
      bars.map((record): unknown => JSON.parse(decoder.decode(record.value ?? new Uint8Array()))),
      [
        {
          schema: 1,
          symbol: 'AAPL',
          interval: '1d',
          start: Date.parse('2026-12-01T00:00:00Z'),
          end: Date.parse('2026-12-02T00:00:00Z'),
          open: 100,
          high: 102,
          low: 100,
          close: 102,
          volume: 0,
          count: 2,
        },
      ],
    )
    assert.equal((await processor.read(TOPICS.features)).length, 1)
    assert.deepEqual(await processor.read(TOPICS.deadLetters), [])
    assert.equal(await processor.metric('quotecast_processor_duplicates_total'), 1)
  },
)

test(
  'a re-sent backfill of the bundled AAPL series adds no dead letter and no bar',
  { timeout: 180_000 },
  async () => {
    const prefix = uniqueTopicPrefix('processor-live-rerun')
    const { quotes } = await bundledSeries('aapl')
    const processor = await startProcessor(prefix, Date.now)
    const send = () =>
      bus.produce(
        quotes.map((quote) => ({
          topic: prefix + TOPICS.quotes,
          key: quote.symbol,
          value: encodeMessage(quote),
        })),
      )
    await send()
    await processor.consumed(quotes.length)
    const bars = (await processor.read(TOPICS.bars)).length
    await send()
    await processor.consumed(2 * quotes.length)
    await processor.stop()
    assert.equal(bars, quotes.length)
    assert.equal((await processor.read(TOPICS.bars)).length, bars)
    assert.deepEqual(await processor.read(TOPICS.deadLetters), [])
    assert.equal(await processor.metric('quotecast_processor_duplicates_total'), quotes.length)
  },
)
