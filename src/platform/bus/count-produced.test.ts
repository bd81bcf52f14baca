import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countProduced } from './count-produced.ts'
import { MemoryBus } from './memory-bus.ts'

test('counts acknowledged records and passes everything through', async () => {
  const bus = new MemoryBus()
  const counted = countProduced(bus)
  await counted.bus.ensureTopics([{ name: 'quotes', partitions: 2, configs: {} }])
  const record = { topic: 'quotes', key: 'ALI', value: Buffer.from('{}') }
  await counted.bus.produce([record, { ...record, key: 'JFC' }])
  await assert.rejects(counted.bus.produce([{ ...record, topic: 'missing' }]))
  assert.equal(counted.produced(), 2, 'a rejected produce is not counted')
  assert.equal((await counted.bus.readToEnd('quotes')).length, 2)
  assert.equal(await counted.bus.partitionOf('quotes', 'ALI'), await bus.partitionOf('quotes', 'ALI'))
  await counted.bus.close()
})
