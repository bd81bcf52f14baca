import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Quote } from '../../core/contracts/quote.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { parseExtraClosures } from '../../core/schedule/parse-extra-closures.ts'
import { resolveCalendars, type ExchangeCalendars } from '../../core/schedule/resolve-calendars.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { createFakeClock } from '../../../test/fixtures/providers/fake-clock.ts'
import { createMockHttp } from '../../../test/fixtures/providers/mock-http.ts'
import { readFixture } from '../../../test/fixtures/providers/read-fixture.ts'
import { createProviderHttp } from './provider-http.ts'
import { createYahooProvider } from './providers/create-yahoo-provider.ts'
import { readStreamPositions } from './read-stream-positions.ts'
import { createRequestBudget } from './request-budget.ts'
import { watchQuotes } from './watch-quotes.ts'

test('watchQuotes follows the session, fetches once after the close, sleeps over the weekend and never republishes an unchanged quote', async () => {
  const { agent, fetch } = createMockHttp()
  agent
    .get('https://query1.finance.yahoo.com')
    .intercept({ path: '/v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false' })
    .reply(200, readFixture('yahoo/chart-aapl-quote.json'))
    .persist()
  const clock = createFakeClock(Date.parse('2024-01-05T20:58:30Z'))
  const http = createProviderHttp({
    provider: 'yahoo',
    fetch,
    clock,
    random: () => 0,
    budget: createRequestBudget({ maxRequests: 100, windowMs: 60_000, clock }),
    timeoutMs: 1000,
    retries: 0,
    backoff: { baseMs: 500, maxMs: 8000 },
    maxRetryWaitMs: 0,
  })
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  const controller = new AbortController()
  const seen: [string, string][] = []
  await watchQuotes({
    bus,
    topicPrefix: '',
    symbols: ['AAPL'],
    providers: [createYahooProvider({ http, clock })],
    maxAgeMs: 4 * 86_400_000,
    clock,
    signal: controller.signal,
    intervalMs: 60_000,
    afterCloseMs: 120_000,
    onReport: (report, exchange, nextAtMs) => {
      seen.push([
        `${exchange} ${report.symbols.map((entry) => entry.status).join(',')}`,
        new Date(nextAtMs).toISOString(),
      ])
      if (seen.length === 5) controller.abort()
    },
  })
  assert.deepEqual(seen, [
    ['US published', '2024-01-05T20:59:30.000Z'],
    ['US unchanged', '2024-01-05T21:00:30.000Z'],
    ['US unchanged', '2024-01-05T21:02:00.000Z'],
    ['US unchanged', '2024-01-08T14:30:00.000Z'],
    ['US unchanged', '2024-01-08T14:31:00.000Z'],
  ])
  assert.equal((await bus.readToEnd('quotes')).length, 1)
})

test('a restarted watchQuotes does not publish again the quote the stream already ends with', async () => {
  const { agent, fetch } = createMockHttp()
  agent
    .get('https://query1.finance.yahoo.com')
    .intercept({ path: '/v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false' })
    .reply(200, readFixture('yahoo/chart-aapl-quote.json'))
    .persist()
  const clock = createFakeClock(Date.parse('2024-01-05T21:01:00Z'))
  const http = createProviderHttp({
    provider: 'yahoo',
    fetch,
    clock,
    random: () => 0,
    budget: createRequestBudget({ maxRequests: 100, windowMs: 60_000, clock }),
    timeoutMs: 1000,
    retries: 0,
    backoff: { baseMs: 500, maxMs: 8000 },
    maxRetryWaitMs: 0,
  })
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  const yahoo = createYahooProvider({ http, clock })
  const watch = async (lastInStream?: ReadonlyMap<string, Quote>): Promise<string[]> => {
    const controller = new AbortController()
    const statuses: string[] = []
    await watchQuotes({
      bus,
      topicPrefix: '',
      symbols: ['AAPL'],
      providers: [yahoo],
      maxAgeMs: 4 * 86_400_000,
      clock,
      signal: controller.signal,
      intervalMs: 60_000,
      ...(lastInStream === undefined ? {} : { lastInStream }),
      onReport: (report) => {
        statuses.push(...report.symbols.map((entry) => entry.status))
        controller.abort()
      },
    })
    return statuses
  }
  assert.deepEqual(await watch(), ['published'])
  const positions = await readStreamPositions(bus, '', ['AAPL'])
  assert.deepEqual(await watch(positions.last), ['unchanged'])
  assert.equal((await bus.readToEnd('quotes')).length, 1)
})

test('watchQuotes does not fetch on an extra closure day: Friday after the close, next Tuesday with Monday closed', async () => {
  const { agent, fetch } = createMockHttp()
  agent
    .get('https://query1.finance.yahoo.com')
    .intercept({ path: '/v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false' })
    .reply(200, readFixture('yahoo/chart-aapl-quote.json'))
    .persist()
  const clock = createFakeClock(Date.parse('2024-01-05T21:01:00Z'))
  const http = createProviderHttp({
    provider: 'yahoo',
    fetch,
    clock,
    random: () => 0,
    budget: createRequestBudget({ maxRequests: 100, windowMs: 60_000, clock }),
    timeoutMs: 1000,
    retries: 0,
    backoff: { baseMs: 500, maxMs: 8000 },
    maxRetryWaitMs: 0,
  })
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  const nextTimes = async (calendars?: ExchangeCalendars): Promise<string[]> => {
    const controller = new AbortController()
    const seen: string[] = []
    await watchQuotes({
      bus,
      topicPrefix: '',
      symbols: ['AAPL'],
      providers: [createYahooProvider({ http, clock })],
      maxAgeMs: 4 * 86_400_000,
      clock,
      signal: controller.signal,
      intervalMs: 60_000,
      ...(calendars === undefined ? {} : { calendars }),
      onReport: (_report, _exchange, nextAtMs) => {
        seen.push(new Date(nextAtMs).toISOString())
        if (seen.length === 2) controller.abort()
      },
    })
    return seen
  }
  const extra = parseExtraClosures('US:2024-01-08')
  assert.ok(extra.ok)
  assert.deepEqual(await nextTimes(resolveCalendars(extra.value)), [
    '2024-01-05T21:02:00.000Z',
    '2024-01-09T14:30:00.000Z',
  ])
})
