import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeMessage } from '../../core/contracts/decode-message.ts'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { barToQuote } from '../../core/providers/bar-to-quote.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { dailyBars } from '../../../test/fixtures/providers/daily-bars.ts'
import { readStreamPositions } from './read-stream-positions.ts'

test('readStreamPositions finds each symbol’s latest quote by event time, reading only its partitions', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(4, 'p-'))
  const context = { exchange: 'US', currency: 'USD', fetchedAt: 0, source: 'replay' }
  const [day1, day2, day3] = dailyBars('AAPL', '2020-01-06', [1, 2, 3]).map((bar) => barToQuote(bar, context))
  const other = barToQuote(dailyBars('MSFT', '2020-01-09', [9])[0]!, context)
  await bus.produce(
    [day1, day3, day2, other].map((quote) => ({
      topic: 'p-quotes',
      key: quote!.symbol,
      value: encodeMessage(quote),
    })),
  )
  await bus.produce([
    { topic: 'p-quotes', key: 'AAPL', value: new TextEncoder().encode('{"not":"a quote"}') },
  ])
  const positions = await readStreamPositions(bus, 'p-', ['AAPL', 'NONE'])
  assert.deepEqual([...positions.last.keys()], ['AAPL'])
  assert.equal(positions.last.get('AAPL')?.id, day3?.id, 'the latest event time, not the last offset')
  const partitions = new Set([
    await bus.partitionOf('p-quotes', 'AAPL'),
    await bus.partitionOf('p-quotes', 'NONE'),
  ])
  assert.equal(positions.partitionsRead, partitions.size)
  const inThem = (await bus.readToEnd('p-quotes', [...partitions])).length
  assert.equal(positions.recordsRead, inThem)
  assert.deepEqual((await readStreamPositions(bus, 'p-', [])).recordsRead, 0)
})
