// Issue 14, item 4 on the real broker: `quotecast bridge` turns the original project's stock-details
// messages into quotes, dead-letters a malformed one and keeps going; item 5: its work summary line.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { deadLetterSchema } from '../../src/core/contracts/dead-letter.ts'
import { quoteSchema, type Quote } from '../../src/core/contracts/quote.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

/** The original project's example message, byte for byte as it published it. */
const ORIGINAL =
  '{"stock":[{"name":"Ayala Land","price":{"currency":"PHP","amount":23.5},"percent_change":3.07,' +
  '"volume":13724300,"symbol":"ALI"},{"name":"Jollibee Foods","price":{"currency":"PHP","amount":225.4},' +
  '"percent_change":-0.27,"volume":731640,"symbol":"JFC"}],"as_of":"2022-10-14T14:50:00+08:00"}'
const MALFORMED = '{"stock":[{"name":"Ayala Land","price":{"currency":"PHP","amount":23.5'
const NEXT = ORIGINAL.replace('23.5', '23.6').replace('225.4', '226').replace('14:50:00', '14:51:00')

const pipelines: TestPipeline[] = []
after(async () => {
  await Promise.all(pipelines.map((pipeline) => pipeline.close()))
})

async function quotesOf(p: TestPipeline, count: number, timeoutMs = 60_000): Promise<Quote[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const records = await p.probe.read(p.topic(TOPICS.quotes))
    if (records.length >= count) {
      return records.map((record) => {
        const quote = decodeMessage(quoteSchema, record.value)
        assert.ok(quote.ok, quote.ok ? '' : quote.error)
        assert.equal(record.key, quote.value.symbol, 'a quote is keyed by its symbol')
        return quote.value
      })
    }
    if (Date.now() > deadline) throw new Error(`${records.length} of ${count} quotes in time\n${p.tails()}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe('quotecast bridge on the real broker', () => {
  test(
    'the original example becomes quotes; a malformed message is one dead letter and the next still flows',
    { timeout: 120_000 },
    async (t) => {
      const p = await TestPipeline.create('bridge', { bootstrap: kafkaBootstrap(), partitions: 3 })
      pipelines.push(p)
      const bridge = p.start('bridge', { args: ['--summary-every-sec', '1'] })
      await bridge.waitReady()
      const input = p.prefix + TOPICS.stockDetails
      await p.probe.bus.produce([{ topic: input, key: 'pse', value: Buffer.from(ORIGINAL) }])
      const first = await quotesOf(p, 2)
      const asOf = Date.parse('2022-10-14T06:50:00Z')
      assert.deepEqual(
        first
          .map(({ fetchedAt, ...quote }) => {
            assert.ok(fetchedAt > Date.now() - 120_000 && fetchedAt <= Date.now(), 'fetched when produced')
            return quote
          })
          .sort((a, b) => a.symbol.localeCompare(b.symbol)),
        [
          {
            schema: 1,
            id: `stock-details:ALI:snapshot:${asOf}`,
            symbol: 'ALI',
            exchange: 'PSE',
            currency: 'PHP',
            kind: 'snapshot',
            price: 23.5,
            volume: 13724300,
            asOf,
            source: 'stock-details',
          },
          {
            schema: 1,
            id: `stock-details:JFC:snapshot:${asOf}`,
            symbol: 'JFC',
            exchange: 'PSE',
            currency: 'PHP',
            kind: 'snapshot',
            price: 225.4,
            volume: 731640,
            asOf,
            source: 'stock-details',
          },
        ],
      )

      await p.probe.bus.produce([{ topic: input, key: 'pse', value: Buffer.from(MALFORMED) }])
      await p.probe.bus.produce([{ topic: input, key: 'pse', value: Buffer.from(NEXT) }])
      const all = await quotesOf(p, 4)
      assert.deepEqual(
        all
          .filter((quote) => quote.asOf !== asOf)
          .map((quote) => [quote.symbol, quote.price, new Date(quote.asOf).toISOString()])
          .sort(),
        [
          ['ALI', 23.6, '2022-10-14T06:51:00.000Z'],
          ['JFC', 226, '2022-10-14T06:51:00.000Z'],
        ],
      )
      const deadLetters = await p.probe.read(p.topic(TOPICS.deadLetters))
      assert.equal(deadLetters.length, 1)
      const letter = decodeMessage(deadLetterSchema, deadLetters[0]?.value ?? null)
      assert.ok(letter.ok)
      assert.match(letter.value.reason, /^stock-details: message is not JSON: /)
      assert.deepEqual(
        [letter.value.sourceTopic, letter.value.offset, letter.value.key, letter.value.service],
        [input, '1', 'pse', 'bridge'],
        'the second record of its partition, keyed as it was',
      )
      assert.equal(Buffer.from(letter.value.valueBase64, 'base64').toString(), MALFORMED)

      await bridge.kill('SIGTERM')
      const summaries = bridge.logLines().filter((line) => line.msg === 'work summary')
      const final = summaries.at(-1)
      t.diagnostic(`the bridge's last lines: ${summaries.map((line) => JSON.stringify(line)).join('\n')}`)
      assert.equal(final?.['final'], true)
      assert.deepEqual(
        [final['messagesIn'], final['quotesOut'], final['deadLetters'], final['lastEventAt']],
        [3, 4, 1, '2022-10-14T06:51:00.000Z'],
      )
      assert.equal(typeof final['lagMs'], 'number')
    },
  )
})
