// `quotecast run --provider yahoo`: the whole system on the in-process bus following a mock Yahoo
// (the market simulator) on a clock the test moves, through NYSE's early close on Christmas Eve.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { pino } from 'pino'
import { resolveBarConfig, type BarConfig } from '../../core/bars/resolve-bar-config.ts'
import { barSchema, type Bar } from '../../core/contracts/bar.ts'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { parseExtraClosures, type ExtraClosures } from '../../core/schedule/parse-extra-closures.ts'
import { resolveCalendars } from '../../core/schedule/resolve-calendars.ts'
import { loadConfig } from '../../platform/config/load-config.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { QuotecastError } from '../../platform/errors.ts'
import { startMarketSimulator, type MarketSimulator } from '../../../test/support/market-simulator.ts'
import type { Clock } from '../fetcher/clock.ts'
import { FETCH_SETTINGS } from '../fetcher/fetcher-settings.ts'
import { runSystem } from './run-system.ts'

const US = [['09:30', '16:00']] as const
/**
 * NYSE's sessions from 17 November to Christmas Eve 2025, written out: Thanksgiving closed, the
 * day after and Christmas Eve closing at 13:00.
 */
const SESSIONS = (() => {
  const sessions: { date: string; windows: readonly (readonly [string, string])[] }[] = []
  for (
    let day = Date.parse('2025-11-17T00:00:00Z');
    day <= Date.parse('2025-12-24T00:00:00Z');
    day += 86_400_000
  ) {
    const date = new Date(day).toISOString().slice(0, 10)
    const weekday = new Date(day).getUTCDay()
    if (weekday === 0 || weekday === 6 || date === '2025-11-27') continue
    const isEarly = date === '2025-11-28' || date === '2025-12-24'
    sessions.push({ date, windows: isEarly ? [['09:30', '13:00']] : US })
  }
  return sessions
})()
/** Sessions before Christmas Eve: what `--from 2025-11-17` backfills. */
const HISTORY = SESSIONS.length - 1
let simulator: MarketSimulator

/** The settings both tests run the system with: AAPL alone, one partition, a quiet API on a free port. */
const oneSymbolSystem = (barConfig: BarConfig) => ({
  topicPrefix: '',
  partitions: 1,
  barConfig,
  symbols: ['AAPL'],
  speed: 1,
  liveBars: 0,
  port: 0,
  host: '127.0.0.1',
  corsOrigin: '*',
  rateLimitPerMinute: 100_000,
  isExactlyOnce: true,
  summaryEveryMs: 0,
})

before(async () => {
  simulator = await startMarketSimulator({
    exchanges: {
      US: {
        utcOffset: '-05:00',
        timeZone: 'America/New_York',
        currency: 'USD',
        sessions: SESSIONS,
      },
    },
    symbols: { AAPL: { exchange: 'US', name: 'Apple Inc.', basePrice: 272 } },
  })
})

after(async () => {
  await simulator.close()
})

/** Virtual time the test moves: a sleep resolves once the clock has reached its end. */
function createSteppedClock(
  startMs: number,
): Clock & { set(ms: number): void; wakeAt(): number | undefined } {
  let now = startMs
  let sleeper: { untilMs: number; resolve: () => void } | undefined
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        sleeper = { untilMs: now + ms, resolve }
        signal?.addEventListener('abort', () => resolve(), { once: true })
      }),
    timeout: () => new AbortController().signal,
    set(ms) {
      now = ms
      if (sleeper !== undefined && sleeper.untilMs <= now) {
        const { resolve } = sleeper
        sleeper = undefined
        resolve()
      }
    },
    wakeAt: () => sleeper?.untilMs,
  }
}

async function waitFor<T>(what: string, read: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Runs the system from Christmas Eve 09:00 in New York until Wednesday's bar and its forecast. */
async function followChristmasEve(nextSession: string, extraClosures?: ExtraClosures): Promise<void> {
  const settings = loadConfig(FETCH_SETTINGS, {
    flags: {
      provider: 'yahoo',
      yahooBaseUrl: simulator.url,
      watchIntervalSec: '3600',
      retries: '0',
    },
    env: {},
  })
  assert.ok(settings.ok, settings.ok ? '' : settings.error)
  const graceMs = 1_200_000
  // Christmas Eve, 09:00 in New York: the first fetch sees Tuesday's close.
  const clock = createSteppedClock(Date.parse('2025-12-24T14:00:00Z'))
  const setNow = (ms: number): void => {
    simulator.setNow(ms)
    clock.set(ms)
  }
  setNow(clock.now())
  let processorReads = 0
  const calendars = resolveCalendars(extraClosures)
  const barConfig = resolveBarConfig({ interval: '1d', calendars })
  assert.ok(barConfig.ok)
  const bus = new MemoryBus()
  const controller = new AbortController()
  let url = ''
  const running = runSystem({
    bus,
    logger: pino({ level: 'silent' }),
    signal: controller.signal,
    ...oneSymbolSystem(barConfig.value),
    closeGraceMs: graceMs,
    now: () => {
      processorReads++
      return clock.now()
    },
    live: { config: settings.value, clock, backfillFromMs: Date.parse('2025-11-17T00:00:00Z') },
    calendars,
    onListening: (listening) => {
      url = listening
    },
  })
  try {
    const bars = async (): Promise<Bar[]> =>
      (await bus.readToEnd('bars')).map((record) => {
        const decoded = decodeMessage(barSchema, record.value)
        assert.ok(decoded.ok)
        return decoded.value
      })
    /** The processor has polled twice more on the current clock: every tick due by now has run. */
    const settle = async (): Promise<void> => {
      const reads = processorReads
      await waitFor('the processor to poll', () => (processorReads >= reads + 2 ? true : undefined))
    }
    const forecast = async (): Promise<{ basedOn: string; forBarStart: string } | undefined> => {
      const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
      const response = await fetch(`${url}/api/v1/predictions/AAPL`)
      if (response.status !== 200) return undefined
      const body = (await response.json()) as { basedOnBarStart: number; forBarStart: number }
      return { basedOn: iso(body.basedOnBarStart), forBarStart: iso(body.forBarStart) }
    }

    // The history is backfilled (its bars close on event time), then the watch starts.
    await waitFor('the first fetch', () => clock.wakeAt())
    await waitFor('the history’s bars', async () => ((await bars()).length === HISTORY ? true : undefined))

    const closeMs = Date.parse('2025-12-24T18:00:00Z')
    // Through the early close: the fetcher wakes on its own schedule (hourly, once after the close).
    while ((clock.wakeAt() ?? Infinity) <= closeMs + 120_000) {
      setNow(clock.wakeAt() ?? 0)
      await waitFor('the next fetch', () => clock.wakeAt())
    }
    assert.equal(clock.wakeAt(), Date.parse(`${nextSession}T14:30:00Z`), 'the next fetch: the next open')
    setNow(closeMs + graceMs - 60_000)
    await settle()
    assert.equal((await bars()).length, HISTORY, 'no bar for Wednesday before the close plus the grace')
    setNow(closeMs + graceMs)
    await settle()
    const closed = await bars()
    assert.deepEqual(
      closed.map((bar) => new Date(bar.start).toISOString().slice(0, 10)),
      SESSIONS.map((session) => session.date),
      'one bar per session: the backfilled history, then Christmas Eve fetched live',
    )
    assert.equal(closed.at(-1)?.close, simulator.dayAt('AAPL', closeMs)?.close, 'the closing price')
    assert.deepEqual(
      (await bus.readToEnd('dead-letters')).map((r) => Buffer.from(r.value ?? []).toString()),
      [],
      'no dead letter',
    )
    assert.deepEqual(
      await waitFor('the forecast after Wednesday', async () => {
        const latest = await forecast()
        return latest?.basedOn === '2025-12-24' ? latest : undefined
      }),
      { basedOn: '2025-12-24', forBarStart: nextSession },
      'the forecast is for the next session',
    )
  } finally {
    controller.abort()
    await running
  }
}

test('run --provider yahoo follows the market live: the day’s bar closes at the close plus the grace, the forecast is for the next session', async () => {
  // Friday 26 December: the session after Christmas.
  await followChristmasEve('2025-12-26')
})

test('run --extra-closures: a closed Friday is neither fetched nor forecast; Monday is next', async () => {
  const extra = parseExtraClosures('US:2025-12-26')
  assert.ok(extra.ok)
  await followChristmasEve('2025-12-29', extra.value)
})

test('a stage stopped by a failure no retry can get past stops the whole system, which rejects with it', async () => {
  const barConfig = resolveBarConfig({ interval: '1d' })
  assert.ok(barConfig.ok)
  const memory = new MemoryBus()
  const refused = new QuotecastError('BUS_AUTH', 'trainer: not authorised on group quotecast-trainer')
  // The trainer's group is refused; the processor and bridge run on as usual.
  const bus: Bus = {
    ensureTopics: (specs) => memory.ensureTopics(specs),
    produce: (records) => memory.produce(records),
    consumer: (options) =>
      options.groupId?.includes('trainer') === true ? Promise.reject(refused) : memory.consumer(options),
    readToEnd: (topic, partitions) => memory.readToEnd(topic, partitions),
    partitionOf: (topic, key) => memory.partitionOf(topic, key),
    close: () => memory.close(),
  }
  const controller = new AbortController()
  const running = runSystem({
    bus,
    logger: pino({ level: 'silent' }),
    signal: controller.signal,
    ...oneSymbolSystem(barConfig.value),
    liveBars: 5,
  })
  const outcome = await Promise.race([
    running.then(
      () => 'resolved',
      (error: unknown) => error,
    ),
    new Promise((resolve) => setTimeout(resolve, 60_000, 'still running')),
  ])
  controller.abort()
  assert.equal(outcome, refused)
})
