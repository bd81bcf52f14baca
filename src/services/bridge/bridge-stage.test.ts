import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { drainStage } from '../../../test/support/drain-stage.ts'
import { createBridgeMetrics } from './bridge-metrics.ts'
import { createBridgeStage } from './bridge-stage.ts'

const PRODUCED_AT = Date.parse('2022-10-14T06:50:04Z')
const FAILED_AT = Date.parse('2022-10-14T06:51:00Z')

/** The original project's example message, as it published it. */
const ORIGINAL =
  '{"stock":[{"name":"Ayala Land","price":{"currency":"PHP","amount":23.5},"percent_change":3.07,' +
  '"volume":13724300,"symbol":"ALI"}],"as_of":"2022-10-14T14:50:00+08:00"}'

async function bridge(values: readonly string[], restartAfter: readonly number[] = []) {
  const bus = new MemoryBus({ now: () => PRODUCED_AT })
  await bus.ensureTopics(topicSpecs(3, 'p.'))
  await bus.produce(
    values.map((value) => ({ topic: 'p.stock-details', key: 'pse', value: Buffer.from(value) })),
  )
  const registry = new Registry()
  const stage = createBridgeStage({
    topicPrefix: 'p.',
    metrics: createBridgeMetrics(registry),
    now: () => FAILED_AT,
  })
  await drainStage(bus, stage, { groupId: 'bridge', topic: 'p.stock-details', maxRecords: 1, restartAfter })
  const quotes = (await bus.readToEnd('p.quotes')).map((record) => {
    const quote = decodeMessage(quoteSchema, record.value)
    assert.ok(quote.ok)
    assert.equal(record.key, quote.value.symbol, 'keyed by symbol')
    return quote.value
  })
  const deadLetters = (await bus.readToEnd('p.dead-letters')).map((record) => {
    const letter = decodeMessage(deadLetterSchema, record.value)
    assert.ok(letter.ok)
    return letter.value
  })
  const metrics = Object.fromEntries(
    (await registry.getMetricsAsJSON()).map((metric) => [metric.name, metric.values[0]?.value]),
  )
  return { quotes, deadLetters, metrics }
}

test('the original example becomes a PSE quote at as_of, fetched when it reached Kafka', async () => {
  const { quotes, deadLetters, metrics } = await bridge([ORIGINAL])
  assert.deepEqual(quotes, [
    {
      schema: 1,
      id: 'stock-details:ALI:snapshot:1665730200000',
      symbol: 'ALI',
      exchange: 'PSE',
      currency: 'PHP',
      kind: 'snapshot',
      price: 23.5,
      volume: 13724300,
      asOf: Date.parse('2022-10-14T14:50:00+08:00'),
      fetchedAt: PRODUCED_AT,
      source: 'stock-details',
    },
  ])
  assert.deepEqual(deadLetters, [])
  assert.deepEqual(metrics, {
    quotecast_bridge_messages_total: 1,
    quotecast_bridge_quotes_total: 1,
    quotecast_bridge_dead_letters_total: 0,
  })
})

test('a malformed message is one dead letter with its reason; the next good one still flows, across a restart', async () => {
  const other = ORIGINAL.replace('"ALI"', '"JFC"').replace('23.5', '225.4')
  const { quotes, deadLetters, metrics } = await bridge(['{"stock":[{"symbol":"ALI"', other], [0])
  assert.deepEqual(
    quotes.map((quote) => [quote.symbol, quote.price]),
    [['JFC', 225.4]],
  )
  assert.equal(deadLetters.length, 1)
  const [letter] = deadLetters
  assert.ok(letter)
  assert.match(letter.reason, /^stock-details: message is not JSON: /)
  assert.deepEqual(
    { ...letter, reason: '' },
    {
      schema: 1,
      sourceTopic: 'p.stock-details',
      partition: letter.partition,
      offset: '0',
      key: 'pse',
      reason: '',
      valueBase64: Buffer.from('{"stock":[{"symbol":"ALI"').toString('base64'),
      failedAt: FAILED_AT,
      service: 'bridge',
    },
  )
  assert.equal(metrics['quotecast_bridge_dead_letters_total'], 1)
})

test('the good stocks of a message with a bad one are published, the bad one named in a dead letter', async () => {
  const message = JSON.stringify({
    stock: [
      { name: 'Ayala Land', price: { currency: 'PHP', amount: 23.5 }, volume: 1, symbol: 'ALI' },
      { name: 'Bad', price: { currency: 'PHP', amount: -1 }, volume: 1, symbol: 'BAD' },
      { name: 'Dollar', price: { currency: 'USD', amount: 1.25 }, volume: 1, symbol: 'BPI' },
    ],
    as_of: '2022-10-14T14:50:00+08:00',
  })
  const { quotes, deadLetters } = await bridge([message])
  assert.deepEqual(
    quotes.map((quote) => [quote.symbol, quote.currency, quote.price]),
    [
      ['ALI', 'PHP', 23.5],
      ['BPI', 'USD', 1.25],
    ],
  )
  assert.equal(deadLetters.length, 1)
  // The price's own wording is the contract's.
  assert.match(deadLetters[0]?.reason ?? '', /^stock-details: 1 of 3 stocks rejected: phisix BAD: price: \S/)
})
