import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { dailyBars } from '../../../test/fixtures/providers/daily-bars.ts'
import { createFakeClock, type FakeClock } from '../../../test/fixtures/providers/fake-clock.ts'
import { createMockHttp } from '../../../test/fixtures/providers/mock-http.ts'
import { serveFixtures } from '../../../test/fixtures/providers/serve-fixtures.ts'
import { usSessionMinutes, yahooIntradayChart } from '../../../test/fixtures/providers/yahoo-chart.ts'
import type { FetchLike } from './http-get.ts'
import { formatBackfillReport } from './format-backfill-report.ts'
import { createProviderHttp } from './provider-http.ts'
import { createPseProvider } from './providers/create-pse-provider.ts'
import { createReplayProvider } from './providers/create-replay-provider.ts'
import { createStooqProvider } from './providers/create-stooq-provider.ts'
import { createYahooProvider } from './providers/create-yahoo-provider.ts'
import type { Provider } from './providers/provider.ts'
import { createRequestBudget } from './request-budget.ts'
import { runBackfill, type BackfillWindow } from './run-backfill.ts'

const DAY_MS = 86_400_000

async function publishedIds(bus: MemoryBus): Promise<string[]> {
  const records = await bus.readToEnd('quotes')
  return records.map((record) => {
    const quote = decodeMessage(quoteSchema, record.value)
    return quote.ok ? `${record.key ?? ''} ${quote.value.id}` : 'undecodable'
  })
}

function httpFor(provider: string, fetch: FetchLike, clock: FakeClock) {
  return createProviderHttp({
    provider,
    fetch,
    clock,
    random: () => 0,
    budget: createRequestBudget({ maxRequests: 100, windowMs: 60_000, clock }),
    timeoutMs: 1000,
    retries: 0,
    backoff: { baseMs: 500, maxMs: 8000 },
    maxRetryWaitMs: 0,
  })
}

/** The provider, with every history() call it is asked counted. */
function counted(provider: Provider): { provider: Provider; calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    provider: {
      ...provider,
      history: (symbol, range, interval) => {
        calls.push(`${symbol} ${new Date(range.fromMs).toISOString()}`)
        return provider.history(symbol, range, interval)
      },
    },
  }
}

async function emptyBus(): Promise<MemoryBus> {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  return bus
}

test('runBackfill publishes completed bars in event-time order, continues after the stream, and a completed range costs no request', async () => {
  const clock = createFakeClock(Date.parse('2020-01-09T12:00:00Z'))
  const series = new Map([['AAPL', dailyBars('AAPL', '2020-01-06', [100, 101, 102, 103, 104])]])
  const replay = counted(createReplayProvider({ series, clock }))
  const bus = await emptyBus()
  const options = {
    bus,
    topicPrefix: '',
    symbols: ['AAPL', 'ZZZ'],
    providers: [replay.provider],
    range: { fromMs: Date.UTC(2020, 0, 6), toMs: Date.UTC(2020, 0, 10) + DAY_MS - 1 },
    interval: '1d' as const,
    nowMs: clock.now,
    batchSize: 2,
  }
  const first = await runBackfill(options)
  assert.equal(first.published, 3)
  assert.equal(first.isComplete, false)
  assert.equal(
    formatBackfillReport(first),
    [
      'AAPL    3 bars from replay, 2 rows rejected (first: 2020-01-09T00:00:00.000Z: bar not complete yet)',
      'ZZZ     FAILED  replay: unsupported: replay does not cover ZZZ; missing 2020-01-06 to 2020-01-10',
      'published 3 bars for 1 of 2 symbols',
      '',
    ].join('\n'),
  )
  const again = await runBackfill({ ...options, symbols: ['AAPL'] })
  assert.equal(
    formatBackfillReport(again),
    'AAPL    up to date: the quotes topic is at 2020-01-08 (no request)\npublished 0 bars for 0 of 1 symbols\n',
  )
  assert.equal(again.isComplete, true)
  clock.advance(2 * DAY_MS)
  const later = await runBackfill({ ...options, symbols: ['AAPL'] })
  assert.deepEqual(
    later.symbols.map((entry) => [entry.status, entry.published, entry.resumedAfter]),
    [['complete', 2, Date.UTC(2020, 0, 8)]],
  )
  assert.match(formatBackfillReport(later), /^AAPL {4}2 bars from replay \(continued after 2020-01-08\)$/m)
  const done = await runBackfill({ ...options, symbols: ['AAPL'] })
  assert.deepEqual(
    done.symbols.map((entry) => entry.status),
    ['up-to-date'],
  )
  assert.deepEqual(replay.calls, ['AAPL 2020-01-06T00:00:00.000Z', 'AAPL 2020-01-09T00:00:00.000Z'])
  assert.deepEqual(await publishedIds(bus), [
    'AAPL replay:AAPL:1d:1578268800000',
    'AAPL replay:AAPL:1d:1578355200000',
    'AAPL replay:AAPL:1d:1578441600000',
    'AAPL replay:AAPL:1d:1578528000000',
    'AAPL replay:AAPL:1d:1578614400000',
  ])
})

test('runBackfill fails over when a provider has no bars, and names each rejected row', async () => {
  const clock = createFakeClock(Date.parse('2024-01-10T12:00:00Z'))
  const { reply, fetch } = createMockHttp()
  reply(
    'https://stooq.com',
    '/q/d/l/?s=aapl.us&i=d&d1=20240102&d2=20240105',
    200,
    'stooq/malformed-daily.csv',
  )
  const replay = createReplayProvider({ series: new Map([['AAPL', []]]), clock })
  const bus = await emptyBus()
  const report = await runBackfill({
    bus,
    topicPrefix: '',
    symbols: ['AAPL'],
    providers: [replay, createStooqProvider({ http: httpFor('stooq', fetch, clock), clock })],
    range: { fromMs: Date.UTC(2024, 0, 2), toMs: Date.UTC(2024, 0, 5, 23, 59) },
    interval: '1d',
    nowMs: clock.now,
  })
  assert.deepEqual(report.symbols[0], {
    symbol: 'AAPL',
    status: 'complete',
    provider: 'stooq',
    published: 2,
    rejected: ['line 3: 7 cells, expected 6', 'line 4: not a number: "N/D"'],
    attempts: [
      { provider: 'replay', failure: { kind: 'not-found', message: 'replay: no bars in the range' } },
    ],
    lastPublished: Date.UTC(2024, 0, 5),
  })
  assert.deepEqual(await publishedIds(bus), [
    'AAPL stooq:AAPL:1d:1704153600000',
    'AAPL stooq:AAPL:1d:1704412800000',
  ])
})

test('an interrupted PSE backfill keeps what it published, says what is missing, and the re-run asks only for the rest', async () => {
  const clock = createFakeClock(Date.parse('2022-10-17T03:00:00Z'))
  const { reply, fetch } = createMockHttp()
  const origin = 'https://phisix-api.appspot.com'
  reply(origin, '/stocks/SM.2022-10-13.json', 200, 'pse/stock-sm-2022-10-13.json')
  reply(origin, '/stocks/SM.2022-10-14.json', 200, 'pse/stock-sm-2022-10-14.json')
  const requests: string[] = []
  const counting: FetchLike = (url, init) => {
    requests.push(new URL(url).pathname)
    return fetch(url, init)
  }
  const pse = createPseProvider({ http: httpFor('pse', counting, clock), clock })
  const bus = await emptyBus()
  const controller = new AbortController()
  const steps: BackfillWindow[] = []
  const options = {
    bus,
    topicPrefix: '',
    symbols: ['SM', 'JFC'],
    providers: [pse],
    range: { fromMs: Date.UTC(2022, 9, 13), toMs: Date.UTC(2022, 9, 16) + DAY_MS - 1 },
    interval: '1d' as const,
    nowMs: clock.now,
  }
  const first = await runBackfill({
    ...options,
    signal: controller.signal,
    onWindow: (step) => {
      steps.push(step)
      controller.abort()
    },
  })
  assert.deepEqual(
    steps.map((step) => [step.symbol, step.provider, step.window, step.windows, step.bars, step.published]),
    [['SM', 'pse', 1, 2, 1, 1]],
    'the weekend (15th, 16th) needs no request: two windows',
  )
  assert.equal(first.isInterrupted, true)
  assert.equal(
    formatBackfillReport(first),
    [
      'SM      interrupted after 1 bars from pse; missing 2022-10-14 to 2022-10-16',
      'JFC     interrupted after 0 bars; missing 2022-10-13 to 2022-10-16',
      'published 1 bars for 1 of 2 symbols',
      "interrupted: 2 of 2 symbols not finished; run the same command again to resume (it continues after each symbol's latest quote in the quotes topic)",
      '',
    ].join('\n'),
  )
  assert.deepEqual(requests, ['/stocks/SM.2022-10-13.json'])
  const second = await runBackfill({ ...options, symbols: ['SM'] })
  assert.deepEqual(
    second.symbols.map((entry) => [entry.status, entry.published]),
    [['complete', 1]],
  )
  assert.deepEqual(requests, ['/stocks/SM.2022-10-13.json', '/stocks/SM.2022-10-14.json'])
  const third = await runBackfill({ ...options, symbols: ['SM'] })
  assert.equal(third.symbols[0]?.status, 'up-to-date')
  assert.equal(requests.length, 2, 'a completed range makes no request')
  assert.deepEqual(await publishedIds(bus), [
    `SM pse:SM:1d:${Date.UTC(2022, 9, 13)}`,
    `SM pse:SM:1d:${Date.UTC(2022, 9, 14)}`,
  ])
})

test('a 1m backfill over 11 days is cut into yahoo’s 7-day windows, the part older than 30 days is reported, and a re-run makes no request', async () => {
  const clock = createFakeClock(Date.parse('2024-02-03T12:00:00Z'))
  const chart = (from: string, to: string) =>
    `/v8/finance/chart/AAPL?period1=${Date.parse(from) / 1000}&period2=${Math.ceil(Date.parse(to) / 1000)}&interval=1m&events=history&includePrePost=false`
  const first = chart('2024-01-04T12:00:00.000Z', '2024-01-11T11:59:59.999Z')
  const second = chart('2024-01-11T12:00:00.000Z', '2024-01-12T23:59:59.999Z')
  const server = await serveFixtures({
    [first]: {
      status: 200,
      file: 'chart.json',
      body: yahooIntradayChart(usSessionMinutes(['2024-01-05', '2024-01-08'])),
    },
    [second]: {
      status: 200,
      file: 'chart.json',
      body: yahooIntradayChart(usSessionMinutes(['2024-01-12']), '1m', 190),
    },
  })
  try {
    const yahoo = createYahooProvider({ http: httpFor('yahoo', fetch, clock), clock, baseUrl: server.url })
    const bus = await emptyBus()
    const steps: string[] = []
    const options = {
      bus,
      topicPrefix: '',
      symbols: ['AAPL'],
      providers: [yahoo],
      range: { fromMs: Date.UTC(2024, 0, 2), toMs: Date.UTC(2024, 0, 12) + DAY_MS - 1 },
      interval: '1m' as const,
      nowMs: clock.now,
      onWindow: (step: BackfillWindow) => steps.push(`${step.window}/${step.windows} ${step.bars}`),
    }
    const report = await runBackfill(options)
    assert.deepEqual(server.requests, [`GET ${first}`, `GET ${second}`])
    assert.deepEqual(steps, ['1/2 780', '2/2 390'])
    assert.equal(
      formatBackfillReport(report, '1m'),
      [
        'AAPL    1170 bars from yahoo; 2024-01-02T00:00Z to 2024-01-04T11:59Z not served by yahoo at 1m',
        'published 1170 bars for 1 of 1 symbols',
        '',
      ].join('\n'),
    )
    const again = await runBackfill(options)
    assert.equal(again.symbols[0]?.status, 'up-to-date')
    assert.equal(server.requests.length, 2, 'the re-run made no request')
    const ids = await publishedIds(bus)
    assert.equal(new Set(ids).size, 1170)
    assert.deepEqual(
      [ids[0], ids.at(-1)],
      [
        `AAPL yahoo:AAPL:1m:${Date.parse('2024-01-05T14:30:00Z')}`,
        `AAPL yahoo:AAPL:1m:${Date.parse('2024-01-12T20:59:00Z')}`,
      ],
    )
  } finally {
    await server.close()
  }
})
