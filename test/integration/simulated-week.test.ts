// A week of live operation on the real broker, on simulated time: the fetcher runs on the CronJob
// schedule of the rendered minikube overlay against a market simulator that serves Yahoo, Stooq and
// phisix responses, the original project's stock-details messages go through the bridge, and the
// processor and trainer run as in production, with their clock injected. The week (22–29 December
// 2025) has a weekend, a holiday (Christmas), an early close (NYSE 13:00 on Christmas Eve), PSE
// holidays (24 and 25 December, Proclamation No. 727) and PSE's lunch break.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { resolveBarConfig } from '../../src/core/bars/resolve-bar-config.ts'
import { BAR_SCHEMA_VERSION } from '../../src/core/contracts/bar.ts'
import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import { barToQuote } from '../../src/core/providers/bar-to-quote.ts'
import { barSchema, type Bar } from '../../src/core/contracts/bar.ts'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { predictionSchema, type Prediction } from '../../src/core/contracts/prediction.ts'
import { TOPICS, topicSpecs } from '../../src/core/contracts/topics.ts'
import { zonedParts } from '../../src/core/schedule/zoned-parts.ts'
import { createKafkaBus, type KafkaBus } from '../../src/platform/bus/kafka-bus.ts'
import { runBridge } from '../../src/services/bridge/run-bridge.ts'
import type { Clock } from '../../src/services/fetcher/clock.ts'
import { isRepeatQuote } from '../../src/services/fetcher/is-repeat-quote.ts'
import { createProviderHttp } from '../../src/services/fetcher/provider-http.ts'
import { createPseProvider } from '../../src/services/fetcher/providers/create-pse-provider.ts'
import { createStooqProvider } from '../../src/services/fetcher/providers/create-stooq-provider.ts'
import { createYahooProvider } from '../../src/services/fetcher/providers/create-yahoo-provider.ts'
import type { Provider } from '../../src/services/fetcher/providers/provider.ts'
import { readStreamPositions } from '../../src/services/fetcher/read-stream-positions.ts'
import { createRequestBudget } from '../../src/services/fetcher/request-budget.ts'
import { runFetchOnce } from '../../src/services/fetcher/run-fetch-once.ts'
import { runProcessor } from '../../src/services/processor/run-processor.ts'
import { runTrainer } from '../../src/services/trainer/run-trainer.ts'
import { loadDeployTools } from '../deploy/helpers/deploy-tools.ts'
import { renderOverlay } from '../deploy/helpers/kubernetes-tools.ts'
import { at, parseManifests } from '../deploy/helpers/manifest.ts'
import { kafkaBootstrap, kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'
import { KafkaProbe } from '../support/kafka-probe.ts'
import { startMarketSimulator, type MarketSimulator } from '../support/market-simulator.ts'

const US = [['09:30', '16:00']] as const
const PSE = [
  ['09:30', '12:00'],
  ['13:00', '15:00'],
] as const
/**
 * The sessions as the exchanges held them, written out by hand: the calendar is what is tested.
 * The week starts on a Monday at 00:00 UTC, so the first runs see Friday's close (a deployment
 * made over a weekend): Friday's bar comes from that one snapshot.
 */
const EXCHANGES = {
  US: {
    utcOffset: '-05:00',
    timeZone: 'America/New_York',
    currency: 'USD',
    sessions: [
      { date: '2025-12-19', windows: US },
      { date: '2025-12-22', windows: US },
      { date: '2025-12-23', windows: US },
      { date: '2025-12-24', windows: [['09:30', '13:00']] as const },
      { date: '2025-12-26', windows: US },
      { date: '2025-12-29', windows: US },
    ],
  },
  PSE: {
    utcOffset: '+08:00',
    timeZone: 'Asia/Manila',
    currency: 'PHP',
    sessions: [
      { date: '2025-12-19', windows: PSE },
      { date: '2025-12-22', windows: PSE },
      { date: '2025-12-23', windows: PSE },
      { date: '2025-12-26', windows: PSE },
      { date: '2025-12-29', windows: PSE },
    ],
  },
}
/** The session after the simulated week: 30 December for NYSE; PSE is closed 30 December to 1 January. */
const NEXT_AFTER_WEEK = { US: '2025-12-30', PSE: '2026-01-02' } as const
const SYMBOLS = {
  AAPL: { exchange: 'US', name: 'Apple Inc.', basePrice: 272 },
  MSFT: { exchange: 'US', name: 'Microsoft Corporation', basePrice: 486 },
  JFC: { exchange: 'PSE', name: 'Jollibee Foods Corporation', basePrice: 190 },
  ALI: { exchange: 'PSE', name: 'Ayala Land, Inc.', basePrice: 22 },
} as const
type SymbolName = keyof typeof SYMBOLS
const WEEK_FROM_MS = Date.parse('2025-12-22T00:00:00Z')
const WEEK_TO_MS = Date.parse('2025-12-29T22:00:00Z')
const PARTITIONS = 3

/** Trading days before the week that the history holds (weekdays, less the exchange's holidays). */
const HISTORY_CLOSED = { US: ['2025-11-27'], PSE: ['2025-10-31', '2025-12-08'] } as const

/**
 * The history the trainer first learns from, as `backfill` publishes it: one bar quote per trading
 * day from 22 September to 18 December 2025, on a deterministic path.
 */
function historyQuotes(symbol: SymbolName, fetchedAt: number): Uint8Array[] {
  const spec = SYMBOLS[symbol]
  const values: Uint8Array[] = []
  let index = 0
  for (let day = utcDay('2025-09-22'); day <= utcDay('2025-12-18'); day += 86_400_000) {
    const date = new Date(day)
    const iso = date.toISOString().slice(0, 10)
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue
    if ((HISTORY_CLOSED[spec.exchange] as readonly string[]).includes(iso)) continue
    const close = Math.round(spec.basePrice * (1 + 0.01 * Math.sin(index++ / 3)) * 100) / 100
    const bar: Bar = {
      schema: BAR_SCHEMA_VERSION,
      symbol,
      interval: '1d',
      start: day,
      end: day + 86_400_000,
      open: close,
      high: Math.round(close * 101) / 100,
      low: Math.round(close * 99) / 100,
      close,
      volume: 1_000_000 + index,
      count: 1,
    }
    const currency = EXCHANGES[spec.exchange].currency
    values.push(
      encodeMessage(barToQuote(bar, { exchange: spec.exchange, currency, fetchedAt, source: 'backfill' })),
    )
  }
  return values
}

/** The fire times of a five-field cron schedule (numbers, `*`, ranges, lists, steps) in a time zone. */
function cronFires(schedule: string, timeZone: string, fromMs: number, toMs: number): number[] {
  const fields = schedule.trim().split(/\s+/)
  assert.equal(fields.length, 5, `a five-field schedule: ${schedule}`)
  const matches = (field: string, value: number, min: number, max: number): boolean =>
    field.split(',').some((part) => {
      const [range = '*', stepText] = part.split('/')
      const step = stepText === undefined ? 1 : Number(stepText)
      const [low, high] =
        range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(Number) : [Number(range)]
      const from = low ?? min
      const to = stepText !== undefined && !range.includes('-') && range !== '*' ? max : (high ?? from)
      return value >= from && value <= to && (value - from) % step === 0
    })
  const fires: number[] = []
  for (let ms = fromMs; ms <= toMs; ms += 60_000) {
    const local = zonedParts(ms, timeZone)
    const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string]
    if (
      matches(minute, local.minute, 0, 59) &&
      matches(hour, local.hour, 0, 23) &&
      matches(day, local.day, 1, 31) &&
      matches(month, local.month, 1, 12) &&
      matches(weekday, local.weekday, 0, 6)
    )
      fires.push(ms)
  }
  return fires
}

/** The fetch schedule and the processor's close grace, as the minikube overlay deploys them. */
function deployedSettings(): { schedule: string; timeZone: string; closeGraceSec: number } {
  const objects = parseManifests(renderOverlay(loadDeployTools(), 'minikube'))
  const cronJob = objects.find((object) => object.kind === 'CronJob' && object.metadata.name === 'fetcher')
  const config = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('quotecast-config'),
  )
  assert.ok(cronJob && config, 'the overlay renders the fetcher CronJob and quotecast-config')
  const grace = at(config, 'data', 'QUOTECAST_CLOSE_GRACE_SEC')
  assert.equal(at(config, 'data', 'QUOTECAST_CLOSE_ON_SESSION'), 'true', 'live bars close on the session')
  return {
    schedule: String(at(cronJob, 'spec', 'schedule')),
    timeZone: String(at(cronJob, 'spec', 'timeZone')),
    closeGraceSec: Number(grace),
  }
}

let bus: KafkaBus
let probe: KafkaProbe
let simulator: MarketSimulator
let skipReason: string | undefined

before(async () => {
  try {
    loadDeployTools()
  } catch (error) {
    skipReason = `the deploy tools are needed to render the CronJob schedule: ${(error as Error).message}`
    return
  }
  bus = createKafkaBus({ bootstrapServers: kafkaBootstrapBrokers(), clientId: 'simulated-week' })
  probe = new KafkaProbe(kafkaBootstrap())
  simulator = await startMarketSimulator({ exchanges: EXCHANGES, symbols: SYMBOLS })
})

after(async () => {
  if (skipReason !== undefined) return
  await bus.close()
  await probe.close()
  await simulator.close()
})

function decodeAll<T>(
  records: readonly { value: Uint8Array | null }[],
  schema: Parameters<typeof decodeMessage>[0],
): T[] {
  return records.map((record) => {
    const decoded = decodeMessage(schema, record.value)
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error)
    return decoded.value as T
  })
}

const utcDay = (date: string): number => Date.parse(`${date}T00:00:00Z`)

test('a simulated week: one bar per session closed at the close plus the grace, forecasts for the next session, no dead letter', async (t) => {
  if (skipReason !== undefined) {
    t.skip(skipReason)
    return
  }
  const deployed = deployedSettings()
  const graceMs = deployed.closeGraceSec * 1000
  const prefix = `${uniqueTopicPrefix('week')}.`
  const topic = (name: keyof typeof TOPICS): string => prefix + TOPICS[name]
  await bus.ensureTopics(topicSpecs(PARTITIONS, prefix))

  let simNowMs = WEEK_FROM_MS
  for (const symbol of Object.keys(SYMBOLS) as SymbolName[]) {
    const values = historyQuotes(symbol, WEEK_FROM_MS - 86_400_000)
    await bus.produce(values.map((value) => ({ topic: topic('quotes'), key: symbol, value })))
  }
  let processorClockReads = 0
  const processorNow = (): number => {
    processorClockReads++
    return simNowMs
  }
  const clock: Clock = {
    now: () => simNowMs,
    sleep: () => Promise.resolve(),
    timeout: () => new AbortController().signal,
  }
  const http = (provider: string) =>
    createProviderHttp({
      provider,
      fetch,
      clock,
      random: () => 0.5,
      budget: createRequestBudget({ maxRequests: 10_000, windowMs: 60_000, clock }),
      timeoutMs: 5_000,
      retries: 0,
      backoff: { baseMs: 500, maxMs: 8000 },
      maxRetryWaitMs: 0,
    })
  const cronJobs: { provider: Provider; symbols: SymbolName[] }[] = [
    {
      provider: createYahooProvider({ http: http('yahoo'), clock, baseUrl: simulator.url }),
      symbols: ['AAPL'],
    },
    {
      provider: createStooqProvider({ http: http('stooq'), clock, baseUrl: simulator.url }),
      symbols: ['MSFT'],
    },
    { provider: createPseProvider({ http: http('pse'), clock, baseUrl: simulator.url }), symbols: ['JFC'] },
  ]

  // Bridged quotes carry the broker's real timestamp as their fetch time while the week is
  // simulated, so the processor's future-quote check gets a skew that covers the gap.
  const barConfig = resolveBarConfig({ interval: '1d', maxClockSkewMs: 400 * 86_400_000 })
  assert.ok(barConfig.ok)
  const controller = new AbortController()
  const logger = pino({ level: 'silent' })
  const services = [
    runProcessor({
      bus,
      topicPrefix: prefix,
      barConfig: barConfig.value,
      registry: new Registry(),
      logger,
      signal: controller.signal,
      closeGraceMs: graceMs,
      now: processorNow,
    }),
    runTrainer({ bus, topicPrefix: prefix, registry: new Registry(), logger, signal: controller.signal }),
    runBridge({
      bus,
      topicPrefix: prefix,
      partitions: PARTITIONS,
      registry: new Registry(),
      logger,
      signal: controller.signal,
    }),
  ]

  /** Everything consumed, then two idle polls of the processor: a tick on the current clock has run and committed. */
  const settle = async (): Promise<void> => {
    const caughtUp = async (): Promise<void> => {
      await probe.waitForCaughtUp(`${prefix}quotecast-bridge`, topic('stockDetails'), { timeoutMs: 60_000 })
      await probe.waitForCaughtUp(`${prefix}quotecast-processor`, topic('quotes'), { timeoutMs: 60_000 })
    }
    await caughtUp()
    const reads = processorClockReads
    const deadline = Date.now() + 30_000
    while (processorClockReads < reads + 2) {
      assert.ok(Date.now() < deadline, 'the processor polls again')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await caughtUp()
  }
  const barsNow = async (): Promise<Bar[]> => decodeAll<Bar>(await bus.readToEnd(topic('bars')), barSchema)

  const dues = Object.entries(SYMBOLS).flatMap(([symbol, spec]) =>
    simulator.sessionsOf(symbol).map((session) => ({
      symbol,
      exchange: spec.exchange,
      date: session.date,
      closeMs: session.closeMs,
      dueMs: session.closeMs + graceMs,
    })),
  )
  const fires = cronFires(deployed.schedule, deployed.timeZone, WEEK_FROM_MS, WEEK_TO_MS)
  assert.ok(fires.length > 7 * 24, `the CronJob fires through the week (${fires.length} runs)`)
  let previousMs = -Infinity
  let published = 0
  for (const fireMs of fires) {
    const crossing = dues.filter((due) => previousMs < due.dueMs && due.dueMs <= fireMs)
    if (crossing.length > 0) {
      await settle()
      const bars = await barsNow()
      for (const due of crossing) {
        assert.ok(
          !bars.some((bar) => bar.symbol === due.symbol && bar.start === utcDay(due.date)),
          `${due.symbol} ${due.date}: no bar before the close plus the grace`,
        )
      }
    }
    simNowMs = fireMs
    simulator.setNow(fireMs)
    const symbols = cronJobs.flatMap((job) => job.symbols)
    const positions = await readStreamPositions(bus, prefix, symbols)
    for (const job of cronJobs) {
      const report = await runFetchOnce({
        bus,
        topicPrefix: prefix,
        symbols: job.symbols,
        providers: [job.provider],
        nowMs: () => simNowMs,
        maxAgeMs: 4 * 86_400_000,
        isUnchanged: (quote) => isRepeatQuote(positions.last.get(quote.symbol), quote),
      })
      assert.ok(report.isComplete, `${new Date(fireMs).toISOString()}: ${JSON.stringify(report.symbols)}`)
      published += report.symbols.filter((symbol) => symbol.status === 'published').length
    }
    // The original project's CronJob: phisix's answer, as it is, to stock-details.
    const reply = await fetch(`${simulator.url}/stocks/ALI.json`)
    await bus.produce([{ topic: topic('stockDetails'), key: 'pse', value: Buffer.from(await reply.text()) }])
    if (crossing.length > 0) {
      await settle()
      const bars = await barsNow()
      for (const due of crossing) {
        const bar = bars.find(
          (candidate) => candidate.symbol === due.symbol && candidate.start === utcDay(due.date),
        )
        assert.ok(
          bar,
          `${due.symbol} ${due.date}: closed at the first CronJob run after the close plus the grace`,
        )
        assert.equal(
          bar.close,
          simulator.dayAt(due.symbol, due.closeMs)?.close,
          `${due.symbol} ${due.date}: the closing price`,
        )
      }
    }
    previousMs = fireMs
  }
  await settle()
  await probe.waitForCaughtUp(`${prefix}quotecast-trainer`, topic('features'), { timeoutMs: 60_000 })

  const bars = await barsNow()
  const predictions = decodeAll<Prediction>(await bus.readToEnd(topic('predictions')), predictionSchema)
  const deadLetters = await bus.readToEnd(topic('deadLetters'))
  assert.deepEqual(
    deadLetters.map((record) =>
      Buffer.from(record.value ?? [])
        .toString()
        .slice(0, 300),
    ),
    [],
    'no dead letter in normal operation',
  )
  for (const [symbol, spec] of Object.entries(SYMBOLS)) {
    const sessions = EXCHANGES[spec.exchange].sessions.map((session) => session.date)
    const own = bars
      .filter((bar) => bar.symbol === symbol && bar.start >= utcDay(sessions[0]!))
      .sort((a, b) => a.start - b.start)
    assert.deepEqual(
      own.map((bar) => new Date(bar.start).toISOString().slice(0, 10)),
      sessions,
      `${symbol}: one bar per session, none for the weekend or a holiday`,
    )
    const forecasts = predictions.filter(
      (prediction) => prediction.symbol === symbol && prediction.basedOnBarStart >= utcDay(sessions[0]!),
    )
    assert.deepEqual(
      forecasts.map((prediction) => [prediction.basedOnBarStart, prediction.forBarStart]),
      sessions.map((date, index) => [
        utcDay(date),
        utcDay(sessions[index + 1] ?? NEXT_AFTER_WEEK[spec.exchange]),
      ]),
      `${symbol}: one prediction per bar, dated for the next session`,
    )
  }
  assert.ok(published > 0)

  // A fetcher started again publishes nothing that is already in the stream.
  const before = (await bus.readToEnd(topic('quotes'))).length
  const positions = await readStreamPositions(bus, prefix, ['AAPL'])
  const again = await runFetchOnce({
    bus,
    topicPrefix: prefix,
    symbols: ['AAPL'],
    providers: [cronJobs[0]!.provider],
    nowMs: () => simNowMs,
    maxAgeMs: 4 * 86_400_000,
    isUnchanged: (quote) => isRepeatQuote(positions.last.get(quote.symbol), quote),
  })
  assert.deepEqual(
    again.symbols.map((symbol) => symbol.status),
    ['unchanged'],
  )
  assert.equal(
    (await bus.readToEnd(topic('quotes'))).length,
    before,
    'a restarted fetcher publishes no repeat',
  )

  controller.abort()
  await Promise.all(services)
})
