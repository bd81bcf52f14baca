import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { resolveBarConfig } from '../../core/bars/resolve-bar-config.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import type { Quote } from '../../core/contracts/quote.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { bundledSeries } from '../../../test/support/bundled-quotes.ts'
import { drainStage } from '../../../test/support/drain-stage.ts'
import { createProcessorMetrics } from './processor-metrics.ts'
import { createProcessorStage } from './processor-stage.ts'

const resolved = resolveBarConfig({ interval: '1d' })
if (!resolved.ok) throw new Error(resolved.error)
const barConfig = resolved.value

/** Runs the stage over `quotes`, restarting it (state restored from the changelog) after every batch. */
async function process(quotes: readonly Quote[]) {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(1))
  await bus.produce(quotes.map((q) => ({ topic: 'quotes', key: q.symbol, value: encodeMessage(q) })))
  const stage = createProcessorStage({
    bus,
    topicPrefix: '',
    barConfig,
    metrics: createProcessorMetrics(new Registry()),
    now: () => 0,
  })
  const restartAfter = Array.from({ length: quotes.length }, (_, batch) => batch)
  await drainStage(bus, stage, { groupId: 'processor', topic: 'quotes', maxRecords: 4, restartAfter })
  const text = async (topic: string) =>
    (await bus.readToEnd(topic)).map((r) => new TextDecoder().decode(r.value ?? new Uint8Array()))
  const reasons = (await bus.readToEnd('dead-letters')).map((record) => {
    const letter = decodeMessage(deadLetterSchema, record.value)
    return letter.ok ? letter.value.reason : letter.error
  })
  return { features: await text('features'), reasons }
}

test('a quote at 1e200 after 30 bars is a dead letter naming the bound, and every restart restores the state', async () => {
  const { quotes } = await bundledSeries('aapl')
  const good = quotes.slice(0, 40)
  const huge = { ...good[30]!, id: 'huge', price: 1e200, open: 1e200, high: 1e200, low: 1e200 }
  const clean = await process(good)
  const dirty = await process([...good.slice(0, 30), huge, ...good.slice(30)])
  assert.equal(dirty.features.length, 40)
  assert.deepEqual(dirty.features, clean.features)
  assert.deepEqual(dirty.reasons, [
    'price: must be at most 1e9 (MAX_PRICE); open: must be at most 1e9 (MAX_PRICE); high: must be at most 1e9 (MAX_PRICE)',
  ])
})
