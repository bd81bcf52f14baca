// Restarts of the live sources on the real broker, with the processor consuming: a restarted
// `fetch --watch` (followProviders, what the command and `run --provider` run) publishes no repeat,
// and an interrupted backfill run again resumes without repeating a request, adding no dead letter.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { resolveBarConfig } from '../../src/core/bars/resolve-bar-config.ts'
import { barSchema, type Bar } from '../../src/core/contracts/bar.ts'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { quoteSchema, type Quote } from '../../src/core/contracts/quote.ts'
import { TOPICS, topicSpecs } from '../../src/core/contracts/topics.ts'
import { createKafkaBus, type KafkaBus } from '../../src/platform/bus/kafka-bus.ts'
import { loadConfig } from '../../src/platform/config/load-config.ts'
import type { Clock } from '../../src/services/fetcher/clock.ts'
import { FETCH_SETTINGS } from '../../src/services/fetcher/fetcher-settings.ts'
import { followProviders } from '../../src/services/fetcher/follow-providers.ts'
import { createProviderHttp } from '../../src/services/fetcher/provider-http.ts'
import { createPseProvider } from '../../src/services/fetcher/providers/create-pse-provider.ts'
import { createRequestBudget } from '../../src/services/fetcher/request-budget.ts'
import { runBackfill } from '../../src/services/fetcher/run-backfill.ts'
import { runProcessor } from '../../src/services/processor/run-processor.ts'
import { readFixture } from '../fixtures/providers/read-fixture.ts'
import { serveFixtures } from '../fixtures/providers/serve-fixtures.ts'
import { kafkaBootstrap, kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'
import { KafkaProbe } from '../support/kafka-probe.ts'
import { startMarketSimulator, type MarketSimulator } from '../support/market-simulator.ts'

const PARTITIONS = 2
let bus: KafkaBus
let probe: KafkaProbe
let simulator: MarketSimulator

before(async () => {
  bus = createKafkaBus({ bootstrapServers: kafkaBootstrapBrokers(), clientId: 'live-restarts' })
  probe = new KafkaProbe(kafkaBootstrap())
  simulator = await startMarketSimulator({
    exchanges: {
      US: {
        utcOffset: '-05:00',
        timeZone: 'America/New_York',
        currency: 'USD',
        sessions: [
          { date: '2025-12-22', windows: [['09:30', '16:00']] },
          { date: '2025-12-23', windows: [['09:30', '16:00']] },
        ],
      },
    },
    symbols: { AAPL: { exchange: 'US', name: 'Apple Inc.', basePrice: 272 } },
  })
})

after(async () => {
  await bus.close()
  await probe.close()
  await simulator.close()
})

function decodeAll<T>(
  records: readonly { value: Uint8Array | null }[],
  schema: typeof quoteSchema | typeof barSchema,
): T[] {
  return records.map((record) => {
    const decoded = decodeMessage(schema, record.value)
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error)
    return decoded.value as T
  })
}

/** The processor on `prefix`, on the given wall clock, until the returned stop is called. */
function startProcessor(
  prefix: string,
  now: () => number,
): { stop: () => Promise<void>; registry: Registry } {
  const barConfig = resolveBarConfig({ interval: '1d' })
  assert.ok(barConfig.ok)
  const controller = new AbortController()
  const registry = new Registry()
  const running = runProcessor({
    bus,
    topicPrefix: prefix,
    barConfig: barConfig.value,
    registry,
    logger: pino({ level: 'silent' }),
    signal: controller.signal,
    closeGraceMs: 1_200_000,
    now,
  })
  return {
    registry,
    stop: async () => {
      controller.abort()
      await running
    },
  }
}

/** Virtual time: a sleep moves the clock (and the market) at once. */
function marketClock(startMs: number): Clock {
  let now = startMs
  simulator.setNow(now)
  return {
    now: () => now,
    sleep: (ms) => {
      now += ms
      simulator.setNow(now)
      return Promise.resolve()
    },
    timeout: () => new AbortController().signal,
  }
}

const duplicates = async (registry: Registry): Promise<number> => {
  const metric = await registry.getSingleMetric('quotecast_processor_duplicates_total')?.get()
  return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0)
}

test('a restarted fetch --watch on a live provider publishes no repeat, and the processor dead-letters nothing', async () => {
  const prefix = `${uniqueTopicPrefix('watch-restart')}.`
  await bus.ensureTopics(topicSpecs(PARTITIONS, prefix))
  const settings = loadConfig(FETCH_SETTINGS, {
    flags: { provider: 'yahoo', yahooBaseUrl: simulator.url, watchIntervalSec: '3600', retries: '0' },
    env: {},
  })
  assert.ok(settings.ok, settings.ok ? '' : settings.error)
  // Tuesday 10:00 in New York: hourly fetches, each a new snapshot of the day.
  const clock = marketClock(Date.parse('2025-12-23T15:00:00Z'))
  const processor = startProcessor(prefix, () => clock.now())
  /** One `fetch --watch` process: reads where the stream is, then stops after `reports` fetches. */
  const watch = async (reports: number): Promise<string[]> => {
    const controller = new AbortController()
    const statuses: string[] = []
    await followProviders({
      bus,
      topicPrefix: prefix,
      symbols: ['AAPL'],
      config: settings.value,
      clock,
      signal: controller.signal,
      logger: pino({ level: 'silent' }),
      onReport: (report) => {
        statuses.push(...report.symbols.map((entry) => entry.status))
        if (statuses.length === reports) controller.abort()
      },
    })
    return statuses
  }
  try {
    assert.deepEqual(await watch(3), ['published', 'published', 'published'])
    const before = (await bus.readToEnd(`${prefix}quotes`)).length
    assert.equal(before, 3)
    // Restarted at the same instant: the market still shows the quote the stream ends with.
    assert.deepEqual(await watch(2), ['unchanged', 'published'])
    const quotes = decodeAll<Quote>(await bus.readToEnd(`${prefix}quotes`), quoteSchema)
    assert.equal(quotes.length, 4, 'the restart published only the next new snapshot')
    assert.equal(new Set(quotes.map((quote) => `${quote.asOf}:${quote.price}`)).size, 4, 'no repeat')
    await probe.waitForCaughtUp(`${prefix}quotecast-processor`, `${prefix}quotes`, { timeoutMs: 60_000 })
    assert.deepEqual(await bus.readToEnd(`${prefix}${TOPICS.deadLetters}`), [], 'no dead letter')
    assert.equal(await duplicates(processor.registry), 0, 'nothing for the processor to drop either')
  } finally {
    await processor.stop()
  }
})

/** The recorded phisix answer for SM, moved to another trading day and price. */
const pseDay = (date: string, amount: number): string =>
  readFixture('pse/stock-sm-2022-10-13.json')
    .replace('"amount":755.00', `"amount":${amount.toFixed(2)}`)
    .replace('2022-10-13T15:00:00+08:00', `${date}T15:00:00+08:00`)

test('a backfill interrupted and run again resumes without repeating a request, and adds no dead letter', async () => {
  const prefix = `${uniqueTopicPrefix('backfill-rerun')}.`
  await bus.ensureTopics(topicSpecs(PARTITIONS, prefix))
  const days = ['2022-10-03', '2022-10-04', '2022-10-05', '2022-10-06', '2022-10-07', '2022-10-10']
  const pse = await serveFixtures(
    Object.fromEntries(
      days.map((date, index) => [
        `/stocks/SM.${date}.json`,
        { status: 200, file: 'pse/stock-sm-2022-10-13.json', body: pseDay(date, 750 + index) },
      ]),
    ),
  )
  const nowMs = Date.parse('2022-10-11T09:00:00Z')
  const clock: Clock = {
    now: () => nowMs,
    sleep: () => Promise.resolve(),
    timeout: () => new AbortController().signal,
  }
  const provider = createPseProvider({
    http: createProviderHttp({
      provider: 'pse',
      fetch,
      clock,
      random: () => 0.5,
      budget: createRequestBudget({ maxRequests: 1000, windowMs: 60_000, clock }),
      timeoutMs: 5000,
      retries: 0,
      backoff: { baseMs: 500, maxMs: 8000 },
      maxRetryWaitMs: 0,
    }),
    clock,
    baseUrl: pse.url,
  })
  const processor = startProcessor(prefix, () => nowMs)
  const backfill = (signal?: AbortSignal, onWindow?: () => void) =>
    runBackfill({
      bus,
      topicPrefix: prefix,
      symbols: ['SM'],
      providers: [provider],
      range: { fromMs: Date.parse('2022-10-03T00:00:00Z'), toMs: Date.parse('2022-10-10T23:59:59Z') },
      interval: '1d',
      nowMs: () => nowMs,
      ...(signal === undefined ? {} : { signal }),
      ...(onWindow === undefined ? {} : { onWindow }),
    })
  const caughtUp = () =>
    probe.waitForCaughtUp(`${prefix}quotecast-processor`, `${prefix}quotes`, { timeoutMs: 60_000 })
  try {
    const controller = new AbortController()
    let windows = 0
    const first = await backfill(controller.signal, () => {
      if (++windows === 2) controller.abort()
    })
    assert.deepEqual(
      first.symbols.map((entry) => [entry.status, entry.published]),
      [['interrupted', 2]],
    )
    await caughtUp()
    const resumed = await backfill()
    assert.deepEqual(
      resumed.symbols.map((entry) => [entry.status, entry.published]),
      [['complete', 4]],
    )
    const again = await backfill()
    assert.deepEqual(
      again.symbols.map((entry) => [entry.status, entry.published]),
      [['up-to-date', 0]],
    )
    assert.deepEqual(
      pse.requests,
      days.map((date) => `GET /stocks/SM.${date}.json`),
      'every day asked for once over the three runs',
    )
    await caughtUp()
    assert.deepEqual(await bus.readToEnd(`${prefix}${TOPICS.deadLetters}`), [], 'no dead letter')
    const bars = decodeAll<Bar>(await bus.readToEnd(`${prefix}${TOPICS.bars}`), barSchema)
    assert.deepEqual(
      bars.map((bar) => new Date(bar.start).toISOString().slice(0, 10)),
      days,
      'one bar per day, in order',
    )
  } finally {
    await processor.stop()
    await pse.close()
  }
})
