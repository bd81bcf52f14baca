import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { startWorkSummary, type SummaryTimer, type WorkCounts } from './start-work-summary.ts'

function capture() {
  const lines: Record<string, unknown>[] = []
  const logger = pino(
    { base: null, timestamp: false },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  )
  return { logger, lines }
}

function fakeTimer() {
  const state: { callback?: () => void; ms?: number; cleared: number } = { cleared: 0 }
  const timer: SummaryTimer = {
    setInterval: (callback, ms) => {
      state.callback = callback
      state.ms = ms
      return 'handle'
    },
    clearInterval: (handle) => {
      assert.equal(handle, 'handle')
      state.cleared++
    },
  }
  /** One interval passes; resolves once the line (if any) is written. */
  const tick = async (): Promise<void> => {
    state.callback?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { timer, state, tick }
}

test('logs the totals every interval while they change, skips unchanged ones, and ends with a final line', async () => {
  const { logger, lines } = capture()
  const { timer, state, tick } = fakeTimer()
  let counts: WorkCounts = { quotesIn: 0, barsOut: 0 }
  const summary = startWorkSummary({ logger, everyMs: 30_000, read: () => counts, timer })
  assert.equal(state.ms, 30_000)
  await tick()
  counts = { quotesIn: 120, barsOut: 2, lastEventAt: '2022-10-14T06:50:00.000Z' }
  await tick()
  await tick()
  counts = { quotesIn: 121, barsOut: 2, lagMs: undefined }
  await tick()
  await summary.stop()
  await summary.stop()
  assert.equal(state.cleared, 1)
  assert.deepEqual(lines, [
    { level: 30, quotesIn: 0, barsOut: 0, msg: 'work summary' },
    { level: 30, quotesIn: 120, barsOut: 2, lastEventAt: '2022-10-14T06:50:00.000Z', msg: 'work summary' },
    { level: 30, quotesIn: 121, barsOut: 2, msg: 'work summary' },
    { level: 30, quotesIn: 121, barsOut: 2, final: true, msg: 'work summary' },
  ])
})

test('an idle service still logs every quietEvery intervals', async () => {
  const { logger, lines } = capture()
  const { timer, tick } = fakeTimer()
  startWorkSummary({ logger, everyMs: 1000, read: () => ({ rowsIn: 5 }), timer, quietEvery: 3 })
  for (let interval = 0; interval < 7; interval++) await tick()
  assert.equal(lines.length, 3, 'intervals 1, 4 and 7')
})

test('with everyMs 0 there is no timer, only the final line; a failing read is a warning', async () => {
  const { logger, lines } = capture()
  const { timer, state } = fakeTimer()
  const summary = startWorkSummary({
    logger,
    everyMs: 0,
    timer,
    read: () => {
      throw new Error('registry gone')
    },
  })
  assert.equal(state.callback, undefined)
  await summary.stop()
  assert.equal(state.cleared, 0)
  const [line, ...rest] = lines
  assert.equal(rest.length, 0)
  assert.equal(line?.['msg'], 'work summary: could not read the counts')
  assert.equal(line['level'], 40)
})

test('an async read slower than the interval is not overlapped', async () => {
  const { logger, lines } = capture()
  const { timer, tick } = fakeTimer()
  let reads = 0
  const gate = Promise.withResolvers<undefined>()
  const summary = startWorkSummary({
    logger,
    everyMs: 1000,
    timer,
    read: async () => {
      reads++
      await gate.promise
      return { in: reads }
    },
  })
  await tick()
  await tick()
  assert.equal(reads, 1)
  gate.resolve(undefined)
  await summary.stop()
  assert.deepEqual(
    lines.map((line) => [line['in'], line['final']]),
    [
      [1, undefined],
      [2, true],
    ],
  )
})
