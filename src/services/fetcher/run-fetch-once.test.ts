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
import { runFetchOnce } from './run-fetch-once.ts'

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
