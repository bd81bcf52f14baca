import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { dailyBars } from '../../../test/fixtures/providers/daily-bars.ts'
import { createFakeClock } from '../../../test/fixtures/providers/fake-clock.ts'
import { createMockHttp } from '../../../test/fixtures/providers/mock-http.ts'
import { formatBackfillReport } from './format-backfill-report.ts'
import { createProviderHttp } from './provider-http.ts'
import { createReplayProvider } from './providers/create-replay-provider.ts'
import { createStooqProvider } from './providers/create-stooq-provider.ts'
import { createRequestBudget } from './request-budget.ts'
import { runBackfill } from './run-backfill.ts'

const DAY_MS = 86_400_000

async function publishedIds(bus: MemoryBus): Promise<string[]> {
  const records = await bus.readToEnd('quotes')
  return records.map((record) => {
    const quote = decodeMessage(quoteSchema, record.value)
    return quote.ok ? `${record.key ?? ''} ${quote.value.id}` : 'undecodable'
  })
}

test('runBackfill publishes bars in event-time order, drops the incomplete one, and a rerun carries the same ids', async () => {
  const clock = createFakeClock(Date.parse('2020-01-04T12:00:00Z'))
  const series = new Map([['^GSPC', dailyBars('^GSPC', '2020-01-01', [100, 101, 102, 103, 104])]])
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  const options = {
    bus,
    topicPrefix: '',
    symbols: ['^GSPC', 'ZZZ'],
    providers: [createReplayProvider({ series, clock })],
    range: { fromMs: Date.UTC(2020, 0, 2), toMs: Date.UTC(2020, 0, 10) },
    interval: '1d' as const,
    nowMs: clock.now,
    batchSize: 2,
  }
  const first = await runBackfill(options)
  assert.equal(first.published, 2)
  assert.equal(first.isComplete, false)
  assert.equal(
    formatBackfillReport(first),
    [
      '^GSPC   2 bars from replay, 2 rows rejected (first: 2020-01-04T00:00:00.000Z: bar not complete yet)',
      'ZZZ     FAILED  replay: unsupported: replay does not cover ZZZ',
      'published 2 bars for 1 of 2 symbols',
      '',
    ].join('\n'),
  )
  clock.advance(DAY_MS)
  const second = await runBackfill({ ...options, symbols: ['^GSPC'] })
  assert.equal(second.published, 3)
  assert.deepEqual(await publishedIds(bus), [
    '^GSPC replay:^GSPC:1d:1577923200000',
    '^GSPC replay:^GSPC:1d:1578009600000',
    '^GSPC replay:^GSPC:1d:1577923200000',
    '^GSPC replay:^GSPC:1d:1578009600000',
    '^GSPC replay:^GSPC:1d:1578096000000',
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
  const http = createProviderHttp({
    provider: 'stooq',
    fetch,
    clock,
    random: () => 0,
    budget: createRequestBudget({ maxRequests: 10, windowMs: 60_000, clock }),
    timeoutMs: 1000,
    retries: 0,
    backoff: { baseMs: 500, maxMs: 8000 },
    maxRetryWaitMs: 0,
  })
  const replay = createReplayProvider({ series: new Map([['AAPL', []]]), clock })
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  const report = await runBackfill({
    bus,
    topicPrefix: '',
    symbols: ['AAPL'],
    providers: [replay, createStooqProvider({ http, clock })],
    range: { fromMs: Date.UTC(2024, 0, 2), toMs: Date.UTC(2024, 0, 5, 23, 59) },
    interval: '1d',
    nowMs: clock.now,
  })
  assert.deepEqual(report.symbols[0], {
    symbol: 'AAPL',
    provider: 'stooq',
    published: 2,
    rejected: ['line 3: 7 cells, expected 6', 'line 4: not a number: "N/D"'],
    attempts: [
      { provider: 'replay', failure: { kind: 'not-found', message: 'replay: no bars in the range' } },
    ],
  })
  assert.deepEqual(await publishedIds(bus), [
    'AAPL stooq:AAPL:1d:1704153600000',
    'AAPL stooq:AAPL:1d:1704412800000',
  ])
})
