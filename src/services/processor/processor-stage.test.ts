import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { resolveBarConfig } from '../../core/bars/resolve-bar-config.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { createFeatureState } from '../../core/features/feature-state.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import type { OutgoingRecord } from '../../platform/bus/bus.ts'
import { createStageDriver } from '../../platform/stream/create-stage-driver.ts'
import { bundledSeries } from '../../../test/support/bundled-quotes.ts'
import { drainStage } from '../../../test/support/drain-stage.ts'
import { createProcessorMetrics } from './processor-metrics.ts'
import { createProcessorStage } from './processor-stage.ts'

const resolved = resolveBarConfig({ interval: '1d' })
if (!resolved.ok) throw new Error(resolved.error)
const barConfig = resolved.value
const quoteRecord = (offset: number, value: Uint8Array) => ({
  topic: 'quotes',
  partition: 0,
  offset: BigInt(offset),
  key: 'AAPL',
  value,
  timestamp: 0,
  headers: {},
})

async function runProcessorOver(
  values: { key: string; value: Uint8Array }[],
  options: { maxRecords: number; restartAfter?: number[] },
) {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(3))
  await bus.produce(values.map((v) => ({ topic: 'quotes', ...v })))
  const registry = new Registry()
  const stage = () =>
    createProcessorStage({
      bus,
      topicPrefix: '',
      barConfig,
      metrics: createProcessorMetrics(registry),
      now: () => 0,
    })
  await drainStage(bus, stage(), { groupId: 'processor', topic: 'quotes', ...options })
  const text = (topic: string) =>
    bus
      .readToEnd(topic)
      .then((records) => records.map((r) => new TextDecoder().decode(r.value ?? new Uint8Array())))
  return {
    features: await text('features'),
    bars: await text('bars'),
    deadLetters: await bus.readToEnd('dead-letters'),
    duplicates: (await registry.getSingleMetric('quotecast_processor_duplicates_total')?.get())?.values.map(
      ({ labels, value }) => ({ kind: labels['kind'], value }),
    ),
  }
}

test('the processor turns a real series into the features the core computes, one row per bar', async () => {
  const { bars, quotes } = await bundledSeries('aapl')
  const out = await runProcessorOver(
    quotes.map((quote) => ({ key: quote.symbol, value: encodeMessage(quote) })),
    { maxRecords: 97 },
  )
  let state = createFeatureState()
  const expected = bars.map((bar) => {
    const next = nextFeatures(state, bar)
    state = next.state
    return JSON.stringify(next.row)
  })
  assert.equal(out.features.length, bars.length)
  assert.deepEqual(out.features, expected)
  assert.deepEqual(
    out.bars,
    bars.map((bar) => JSON.stringify(bar)),
  )
})

test('state restored from the changelog after each crash point gives the uninterrupted output', async () => {
  const { quotes } = await bundledSeries('aapl')
  const values = quotes.slice(0, 400).map((quote) => ({ key: quote.symbol, value: encodeMessage(quote) }))
  const uninterrupted = await runProcessorOver(values, { maxRecords: 50 })
  const restarted = await runProcessorOver(values, { maxRecords: 50, restartAfter: [0, 1, 3, 4, 7] })
  assert.equal(restarted.features.length, 400)
  assert.deepEqual(restarted.features, uninterrupted.features)
  assert.deepEqual(restarted.bars, uninterrupted.bars)
})

test('malformed, duplicate and late quotes become one dead letter each and change no feature', async () => {
  const { quotes } = await bundledSeries('aapl')
  const good = quotes.slice(0, 200).map((quote) => ({ key: quote.symbol, value: encodeMessage(quote) }))
  const bad = [
    { key: 'AAPL', value: new TextEncoder().encode('{not json') },
    { key: 'AAPL', value: encodeMessage({ ...quotes[0], price: -1 }) },
    { key: 'AAPL', value: new Uint8Array([0xc3, 0x28]) },
    { key: 'MSFT', value: encodeMessage(quotes[5]) },
    // A bar for a closed day, conflicting with what closed (its volume differs).
    {
      key: 'AAPL',
      value: encodeMessage({ ...quotes[45]!, id: 'conflict', volume: (quotes[45]?.volume ?? 0) + 1 }),
    },
  ]
  const salted = [...good.slice(0, 50), ...bad, ...good.slice(50)]
  const clean = await runProcessorOver(good, { maxRecords: 64 })
  const dirty = await runProcessorOver(salted, { maxRecords: 64 })
  assert.deepEqual(dirty.features, clean.features)
  assert.equal(dirty.deadLetters.length, bad.length)
  const reasons = dirty.deadLetters.map((record) => {
    const letter = decodeMessage(deadLetterSchema, record.value)
    assert.ok(letter.ok)
    return letter.value.reason
  })
  assert.match(reasons[0] ?? '', /not JSON/)
  assert.match(reasons[1] ?? '', /^price: /)
  assert.match(reasons[2] ?? '', /UTF-8/)
  assert.match(reasons[3] ?? '', /key "MSFT" is not the quote's symbol AAPL/)
  assert.match(reasons[4] ?? '', /^late: .*already closed, and differs from what closed/)
})

test('a re-sent identical backfill is counted as duplicates, not dead-lettered', async () => {
  const { quotes } = await bundledSeries('aapl')
  const once = quotes.map((quote) => ({ key: quote.symbol, value: encodeMessage(quote) }))
  // The re-run backfill of another source: the same bars under new ids.
  const elsewhere = quotes.map((quote) => ({
    key: quote.symbol,
    value: encodeMessage({ ...quote, id: `other:${quote.id}` }),
  }))
  const clean = await runProcessorOver(once, { maxRecords: 500 })
  const twice = await runProcessorOver([...once, ...once], { maxRecords: 500 })
  assert.equal(twice.deadLetters.length, 0)
  assert.deepEqual(twice.features, clean.features)
  // The last 32 bars' ids (and fingerprints) share the 64-slot ring; 16 days back are compared.
  assert.deepEqual(twice.duplicates, [
    { kind: 'history', value: quotes.length - 32 },
    { kind: 'quote', value: 32 },
  ])
  const other = await runProcessorOver([...once, ...elsewhere], { maxRecords: 500 })
  assert.equal(other.deadLetters.length, 0)
  assert.deepEqual(other.features, clean.features)
  assert.equal(
    other.duplicates?.reduce((sum, { value }) => sum + value, 0),
    quotes.length,
  )
})

test('a quote fetched in the future is a dead letter and does not close the real bars', async () => {
  const { quotes } = await bundledSeries('aapl')
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1))
  const nowMs = (quotes[20]?.fetchedAt ?? 0) + 60_000
  const future = { ...quotes[10]!, id: 'forged', asOf: Date.UTC(2150, 0, 1), fetchedAt: Date.UTC(2150, 0, 1) }
  const values = [...quotes.slice(0, 10), future, ...quotes.slice(10, 20)]
  await bus.produce(
    values.map((quote) => ({ topic: 'quotes', key: quote.symbol, value: encodeMessage(quote) })),
  )
  const stage = createProcessorStage({
    bus,
    topicPrefix: '',
    barConfig,
    metrics: createProcessorMetrics(new Registry()),
    now: () => nowMs,
    maxFetchedAheadMs: barConfig.maxClockSkewMs,
  })
  await drainStage(bus, stage, { groupId: 'processor', topic: 'quotes', maxRecords: 7 })
  assert.equal((await bus.readToEnd('features')).length, 20)
  const letters = (await bus.readToEnd('dead-letters')).map((record) =>
    decodeMessage(deadLetterSchema, record.value),
  )
  assert.deepEqual(
    letters.map((letter) => (letter.ok ? letter.value.reason : letter.error)),
    ["fetchedAt 2150-01-01T00:00:00.000Z is in the future (more than 300000 ms after the processor's clock)"],
  )
})

test('with closing on the clock, an open bar of live snapshots closes once the clock passes its end', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1))
  const config = resolveBarConfig({ interval: '1m' })
  assert.ok(config.ok)
  const minute = Date.UTC(2024, 0, 5, 15, 0)
  const snapshot = (id: string, asOf: number, price: number) => ({
    schema: 1 as const,
    id,
    symbol: 'AAPL',
    exchange: 'NASDAQ',
    currency: 'USD',
    kind: 'snapshot' as const,
    price,
    asOf,
    fetchedAt: asOf,
    source: 'test',
  })
  const stage = createProcessorStage({
    bus,
    topicPrefix: '',
    barConfig: config.value,
    metrics: createProcessorMetrics(new Registry()),
    now: () => minute + 30_000,
    isClosingOnClock: true,
  })
  const quotes = [snapshot('a', minute + 1_000, 100), snapshot('b', minute + 20_000, 101)]
  await bus.produce(quotes.map((quote) => ({ topic: 'quotes', key: 'AAPL', value: encodeMessage(quote) })))
  await drainStage(bus, stage, { groupId: 'processor', topic: 'quotes', maxRecords: 10 })
  assert.ok(stage.tick, 'closing on the clock gives the stage a tick')
  const driver = createStageDriver(stage, pino({ level: 'silent' }))
  assert.deepEqual(driver.step([], minute + 59_999), [], 'the bar is still open before its end')
  const closed = driver.step([], minute + 60_000)
  const bars = closed.filter((record) => record.topic === 'bars')
  assert.equal(bars.length, 1)
  assert.deepEqual(JSON.parse(new TextDecoder().decode(bars[0]?.value ?? new Uint8Array())), {
    schema: 1,
    symbol: 'AAPL',
    interval: '1m',
    start: minute,
    end: minute + 60_000,
    open: 100,
    high: 101,
    low: 100,
    close: 101,
    volume: 0,
    count: 2,
  })
  assert.equal(closed.filter((record) => record.topic === 'features').length, 1)
  assert.equal(closed.filter((record) => record.topic === 'processor-state').length, 1)
})

test('two snapshots of one day give one daily bar at the session close plus the grace, and an old day is left to event time', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1))
  const snapshot = (asOf: number, price: number) => ({
    schema: 1 as const,
    id: `test:AAPL:snapshot:${asOf}`,
    symbol: 'AAPL',
    exchange: 'NASDAQ',
    currency: 'USD',
    kind: 'snapshot' as const,
    price,
    asOf,
    fetchedAt: asOf,
    source: 'test',
  })
  // Tuesday 2026-12-01: New York closes at 16:00 EST (21:00 UTC); an old day of 2016 beside it.
  const quotes = [
    snapshot(Date.parse('2016-09-13T15:00:00Z'), 50),
    snapshot(Date.parse('2026-12-01T15:00:00Z'), 100),
    snapshot(Date.parse('2026-12-01T20:59:00Z'), 102),
  ]
  const stage = createProcessorStage({
    bus,
    topicPrefix: '',
    barConfig,
    metrics: createProcessorMetrics(new Registry()),
    now: () => Date.parse('2026-12-01T21:00:00Z'),
    sessionClose: { graceMs: 300_000, horizonMs: 4 * 86_400_000 },
  })
  // The old day's bar closes on event time when the live day's first snapshot arrives.
  const applied = stage.process(quotes.map((quote, offset) => quoteRecord(offset, encodeMessage(quote))))
  assert.equal(applied.filter((record) => record.topic === 'bars').length, 1)
  for (const store of stage.stores) store.flush([])
  assert.ok(stage.tick, 'closing on the session gives the stage a tick')
  assert.deepEqual(stage.tick(Date.parse('2026-12-01T21:04:59.999Z')), [], 'due only after the grace')
  const closed = stage.tick(Date.parse('2026-12-01T21:05:00Z'))
  const bars = closed.filter((record) => record.topic === 'bars')
  assert.deepEqual(
    bars.map((record): unknown => JSON.parse(new TextDecoder().decode(record.value ?? new Uint8Array()))),
    [
      {
        schema: 1,
        symbol: 'AAPL',
        interval: '1d',
        start: Date.parse('2026-12-01T00:00:00Z'),
        end: Date.parse('2026-12-02T00:00:00Z'),
        open: 100,
        high: 102,
        low: 100,
        close: 102,
        volume: 0,
        count: 2,
      },
    ],
  )
  const changelog: OutgoingRecord[] = []
  for (const store of stage.stores) store.flush(changelog)
  assert.equal(changelog.filter((record) => record.topic === 'processor-state').length, 1)
  assert.deepEqual(stage.tick(Date.parse('2026-12-01T21:10:00Z')), [], 'closed once')
})

test('the session clock leaves a replayed old day open', () => {
  const stage = createProcessorStage({
    bus: new MemoryBus(),
    topicPrefix: '',
    barConfig,
    metrics: createProcessorMetrics(new Registry()),
    now: () => Date.parse('2026-12-01T21:00:00Z'),
    sessionClose: { graceMs: 300_000, horizonMs: 4 * 86_400_000 },
  })
  const asOf = Date.parse('2016-09-13T15:00:00Z')
  const quote = {
    schema: 1,
    id: 'test:AAPL:snapshot:1',
    symbol: 'AAPL',
    exchange: 'NASDAQ',
    currency: 'USD',
    kind: 'snapshot',
    price: 50,
    asOf,
    fetchedAt: asOf,
    source: 'test',
  }
  stage.process([quoteRecord(0, encodeMessage(quote))])
  assert.deepEqual(stage.tick?.(Date.parse('2026-12-01T21:05:00Z')), [])
})
