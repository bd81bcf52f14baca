import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { dailyBars } from '../../../test/fixtures/providers/daily-bars.ts'
import { createFakeClock } from '../../../test/fixtures/providers/fake-clock.ts'
import { formatFetchReport } from './format-fetch-report.ts'
import { createReplayProvider } from './providers/create-replay-provider.ts'
import { isRepeatQuote } from './is-repeat-quote.ts'
import { readStreamPositions } from './read-stream-positions.ts'
import { runFetchOnce, type FetchReport } from './run-fetch-once.ts'

const clock = createFakeClock(Date.parse('2024-01-05T21:05:00Z'))
const series = new Map([
  ['^GSPC', dailyBars('^GSPC', '2020-01-01', [100, 101, 102])],
  ['AAPL', dailyBars('AAPL', '2020-01-02', [50, 51])],
])

test('runFetchOnce publishes each quote keyed by symbol and reports every symbol', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(3, 't-'))
  const providers = [createReplayProvider({ series, clock })]
  const options = { bus, topicPrefix: 't-', providers, nowMs: clock.now, maxAgeMs: 60_000 }
  const report = await runFetchOnce({ ...options, symbols: ['^GSPC', 'AAPL', 'MSFT'] })
  assert.equal(report.isComplete, false)
  assert.deepEqual(
    report.symbols.map((entry) => [entry.symbol, entry.status]),
    [
      ['^GSPC', 'published'],
      ['AAPL', 'published'],
      ['MSFT', 'failed'],
    ],
  )
  const records = await bus.readToEnd('t-quotes')
  const published = records.map((record) => {
    const quote = decodeMessage(quoteSchema, record.value)
    return `${record.key ?? ''} ${quote.ok ? quote.value.id : quote.error}`
  })
  assert.deepEqual(published.sort(), [
    'AAPL replay:AAPL:1d:1577923200000',
    '^GSPC replay:^GSPC:1d:1577836800000',
  ])
  assert.equal(
    formatFetchReport(report),
    [
      '^GSPC   published  100 USD as of 2020-01-01T00:00:00.000Z from replay',
      'AAPL    published  50 USD as of 2020-01-02T00:00:00.000Z from replay',
      'MSFT    FAILED     replay: unsupported: replay does not cover MSFT',
      '1 of 3 symbols failed',
      '',
    ].join('\n'),
  )
})

test('a quote the broker did not acknowledge makes its symbol fail', async () => {
  const bus = new MemoryBus()
  const providers = [createReplayProvider({ series, clock })]
  const report = await runFetchOnce({
    bus,
    topicPrefix: 'missing-',
    providers,
    nowMs: clock.now,
    maxAgeMs: 60_000,
    symbols: ['AAPL'],
  })
  assert.equal(report.isComplete, false)
  const [entry] = report.symbols
  assert.equal(entry?.status, 'failed')
  assert.match(entry.publishError ?? '', /^not acknowledged by the broker: /)
  assert.match(formatFetchReport(report), /^AAPL {4}FAILED {5}not acknowledged by the broker: /)
})

test('a one-shot replay fetch run twice publishes bar 1 then bar 2, and once the series is exhausted publishes nothing and says so', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(3, ''))
  const symbols = ['^GSPC', 'AAPL']
  const fetchOnce = async () => {
    const positions = await readStreamPositions(bus, '', symbols)
    const startAfter = new Map([...positions.last].map(([symbol, quote]) => [symbol, quote.asOf]))
    return runFetchOnce({
      bus,
      topicPrefix: '',
      symbols,
      providers: [createReplayProvider({ series, clock, startAfter })],
      nowMs: clock.now,
      maxAgeMs: 60_000,
      isUnchanged: (quote) => isRepeatQuote(positions.last.get(quote.symbol), quote),
    })
  }
  const prices = (report: FetchReport) =>
    report.symbols.map((entry) => `${entry.status} ${entry.quote?.price ?? '-'}`)
  assert.deepEqual(prices(await fetchOnce()), ['published 100', 'published 50'])
  assert.deepEqual(prices(await fetchOnce()), ['published 101', 'published 51'])
  assert.deepEqual(prices(await fetchOnce()), ['published 102', 'finished -'])
  const exhausted = await fetchOnce()
  assert.equal(exhausted.isComplete, true, 'nothing to do is not a failure (the CronJob exits 0)')
  assert.equal(
    formatFetchReport(exhausted),
    [
      '^GSPC   finished   replay: exhausted: replay: the ^GSPC series ended at 2020-01-03 (the stream is at 2020-01-03): nothing left to publish',
      'AAPL    finished   replay: exhausted: replay: the AAPL series ended at 2020-01-03 (the stream is at 2020-01-03): nothing left to publish',
      "2 of 2 symbols finished: the replay has no bar after the stream's last, so nothing was published for them",
      '',
    ].join('\n'),
  )
  const ids = (await bus.readToEnd('quotes')).map((record) => {
    const quote = decodeMessage(quoteSchema, record.value)
    return quote.ok ? quote.value.id : quote.error
  })
  assert.deepEqual(ids.sort(), [
    'replay:AAPL:1d:1577923200000',
    'replay:AAPL:1d:1578009600000',
    'replay:^GSPC:1d:1577836800000',
    'replay:^GSPC:1d:1577923200000',
    'replay:^GSPC:1d:1578009600000',
  ])
})

test('a live quote the stream already ends with is reported unchanged and not published again', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  const providers = [createReplayProvider({ series, clock })]
  const options = { bus, topicPrefix: '', providers, nowMs: clock.now, maxAgeMs: 60_000, symbols: ['AAPL'] }
  const first = await runFetchOnce(options)
  const positions = await readStreamPositions(bus, '', ['AAPL'])
  const same = first.symbols[0]?.quote
  assert.ok(same)
  assert.equal(isRepeatQuote(positions.last.get('AAPL'), same), true)
  assert.equal(
    isRepeatQuote(positions.last.get('AAPL'), { ...same, id: 'other', asOf: same.asOf + 1 }),
    false,
  )
  const snapshot = { ...same, kind: 'snapshot' as const, id: 'yahoo:AAPL:snapshot:1' }
  assert.equal(isRepeatQuote({ ...snapshot, id: 'yahoo:AAPL:snapshot:0' }, snapshot), true)
  assert.equal(isRepeatQuote({ ...snapshot, id: 'yahoo:AAPL:snapshot:0', volume: 1 }, snapshot), false)
})
