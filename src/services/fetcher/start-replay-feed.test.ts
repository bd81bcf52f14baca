import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { dailyBars } from '../../../test/fixtures/providers/daily-bars.ts'
import { createFakeClock } from '../../../test/fixtures/providers/fake-clock.ts'
import { readStreamPositions } from './read-stream-positions.ts'
import { startReplayFeed } from './start-replay-feed.ts'

test('startReplayFeed publishes one bar per symbol per tick at the given speed until the series end', async () => {
  const clock = createFakeClock(Date.parse('2024-01-05T12:00:00Z'))
  const series = new Map([
    ['^GSPC', dailyBars('^GSPC', '2020-01-01', [100, 101, 102, 103])],
    ['AAPL', dailyBars('AAPL', '2020-01-02', [50, 51])],
  ])
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(2, 'r-'))
  const report = await startReplayFeed({
    bus,
    topicPrefix: 'r-',
    speed: 4,
    signal: new AbortController().signal,
    clock,
    series,
    fromMs: Date.UTC(2020, 0, 2),
  })
  assert.deepEqual(report, { published: 5, isFinished: true })
  assert.deepEqual(clock.sleeps, [250, 250, 250])
  const quotes = (await bus.readToEnd('r-quotes')).map((record) => decodeMessage(quoteSchema, record.value))
  assert.deepEqual(
    quotes
      .map((quote) =>
        quote.ok
          ? `${quote.value.symbol} ${new Date(quote.value.asOf).toISOString().slice(0, 10)} ${quote.value.price}`
          : quote.error,
      )
      .sort(),
    [
      'AAPL 2020-01-02 50',
      'AAPL 2020-01-03 51',
      '^GSPC 2020-01-02 101',
      '^GSPC 2020-01-03 102',
      '^GSPC 2020-01-04 103',
    ],
  )
})

test('startReplayFeed stops when its signal aborts', async () => {
  const clock = createFakeClock(0)
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1, ''))
  const controller = new AbortController()
  controller.abort()
  const series = new Map([['AAPL', dailyBars('AAPL', '2020-01-02', [50, 51])]])
  assert.deepEqual(
    await startReplayFeed({ bus, topicPrefix: '', speed: 1, signal: controller.signal, clock, series }),
    { published: 0, isFinished: false },
  )
})

test('a restarted startReplayFeed continues after the stream’s last bar of each symbol', async () => {
  const clock = createFakeClock(Date.parse('2024-01-05T12:00:00Z'))
  const series = new Map([
    ['^GSPC', dailyBars('^GSPC', '2020-01-01', [100, 101, 102, 103])],
    ['AAPL', dailyBars('AAPL', '2020-01-02', [50, 51])],
  ])
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(2, ''))
  const controller = new AbortController()
  let ticks = 0
  const first = await startReplayFeed({
    bus,
    topicPrefix: '',
    speed: 1,
    signal: controller.signal,
    clock: { ...clock, sleep: (ms) => (++ticks === 2 ? controller.abort() : undefined, clock.sleep(ms)) },
    series,
  })
  assert.deepEqual(first, { published: 4, isFinished: false })
  const positions = await readStreamPositions(bus, '', ['^GSPC', 'AAPL'])
  const startAfter = new Map([...positions.last].map(([symbol, quote]) => [symbol, quote.asOf]))
  const second = await startReplayFeed({
    bus,
    topicPrefix: '',
    speed: 1,
    signal: new AbortController().signal,
    clock,
    series,
    startAfter,
  })
  assert.deepEqual(second, { published: 2, isFinished: true })
  const days = (await bus.readToEnd('quotes')).map((record) => {
    const quote = decodeMessage(quoteSchema, record.value)
    return quote.ok
      ? `${quote.value.symbol} ${new Date(quote.value.asOf).toISOString().slice(0, 10)}`
      : quote.error
  })
  assert.deepEqual(days.sort(), [
    'AAPL 2020-01-02',
    'AAPL 2020-01-03',
    '^GSPC 2020-01-01',
    '^GSPC 2020-01-02',
    '^GSPC 2020-01-03',
    '^GSPC 2020-01-04',
  ])
})
