import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { resolveBarConfig } from '../../core/bars/resolve-bar-config.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { createFeatureState } from '../../core/features/feature-state.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { bundledSeries } from '../../../test/support/bundled-quotes.ts'
import { drainStage } from '../../../test/support/drain-stage.ts'
import { createProcessorMetrics } from './processor-metrics.ts'
import { createProcessorStage } from './processor-stage.ts'

const resolved = resolveBarConfig({ interval: '1d' })
if (!resolved.ok) throw new Error(resolved.error)
const barConfig = resolved.value

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
    { key: 'AAPL', value: encodeMessage(quotes[10]) },
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
  assert.match(reasons[4] ?? '', /^(late|duplicate): /)
})
