import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dailyBars } from '../../../../test/fixtures/providers/daily-bars.ts'
import { createFakeClock } from '../../../../test/fixtures/providers/fake-clock.ts'
import { createReplayProvider } from './create-replay-provider.ts'

const clock = createFakeClock(Date.parse('2024-01-05T12:00:00Z'))
const series = new Map([['AAPL', dailyBars('AAPL', '2020-01-01', [50, 51, 52])]])

test('each quote() call advances every symbol by one bar, from the chosen start, until the series ends', async () => {
  const replay = createReplayProvider({ series, clock, fromMs: Date.UTC(2020, 0, 2) })
  const prices = []
  for (let call = 0; call < 3; call++) {
    const outcome = (await replay.quote(['AAPL', 'MSFT'])).get('AAPL')
    prices.push(outcome?.ok === true ? outcome.value.price : outcome?.error.message)
  }
  assert.deepEqual(prices, [51, 52, 'replay: the AAPL series ended at 2020-01-03: nothing left to publish'])
  const other = (await replay.quote(['MSFT'])).get('MSFT')
  assert.deepEqual(other, {
    ok: false,
    error: { kind: 'unsupported', message: 'replay: no bundled series for MSFT (have AAPL)' },
  })
})

test('with startAfter, each series continues after the stream, and says so when nothing is left', async () => {
  const replay = createReplayProvider({
    series: new Map([...series, ['^GSPC', dailyBars('^GSPC', '2020-01-01', [10, 11])]]),
    clock,
    fromMs: Date.UTC(2020, 0, 1),
    startAfter: new Map([
      ['AAPL', Date.UTC(2020, 0, 1)],
      ['^GSPC', Date.UTC(2020, 0, 2)],
    ]),
  })
  const first = await replay.quote(['AAPL', '^GSPC'])
  const aapl = first.get('AAPL')
  assert.equal(aapl?.ok === true ? aapl.value.id : aapl?.error.message, 'replay:AAPL:1d:1577923200000')
  assert.deepEqual(first.get('^GSPC'), {
    ok: false,
    error: {
      kind: 'exhausted',
      message:
        'replay: the ^GSPC series ended at 2020-01-02 (the stream is at 2020-01-02): nothing left to publish',
    },
  })
  const later = createReplayProvider({
    series,
    clock,
    fromMs: Date.UTC(2020, 0, 3),
    startAfter: new Map([['AAPL', 0]]),
  })
  const outcome = (await later.quote(['AAPL'])).get('AAPL')
  assert.equal(outcome?.ok === true ? outcome.value.price : undefined, 52, 'a later --replay-from still wins')
})

test('history() returns the bars within the range as kind-bar quotes with stable ids', async () => {
  const replay = createReplayProvider({ series, clock })
  const result = await replay.history(
    'AAPL',
    { fromMs: Date.UTC(2020, 0, 2), toMs: Date.UTC(2020, 0, 9) },
    '1d',
  )
  assert.ok(result.ok)
  assert.deepEqual(
    result.value.quotes.map((quote) => [quote.id, quote.kind, quote.interval, quote.open, quote.price]),
    [
      ['replay:AAPL:1d:1577923200000', 'bar', '1d', 50, 51],
      ['replay:AAPL:1d:1578009600000', 'bar', '1d', 51, 52],
    ],
  )
  const intraday = await replay.history('AAPL', { fromMs: 0, toMs: 1 }, '5m')
  assert.deepEqual(intraday, {
    ok: false,
    error: { kind: 'unsupported', message: 'replay: the bundled series are daily, not 5m' },
  })
})
