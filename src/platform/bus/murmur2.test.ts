import assert from 'node:assert/strict'
import { test } from 'node:test'
import { murmur2 as platformaticMurmur2 } from '@platformatic/kafka'
import { murmur2, partitionForKey } from './murmur2.ts'

test('murmur2 matches the Kafka client library on keys of every tail length', () => {
  for (const key of [
    '',
    'A',
    'AB',
    'ABC',
    'AAPL',
    'JFC',
    '^GSPC',
    'BRK-B',
    '7203.T',
    'a much longer key 0123456789',
  ]) {
    const bytes = Buffer.from(key)
    assert.equal(murmur2(bytes), platformaticMurmur2(bytes) | 0, key)
  }
})

test('partitionForKey matches Java DefaultPartitioner values', () => {
  // Reference values from Kafka's own Utils.murmur2 test vectors (UtilsTest.testMurmur2).
  assert.equal(murmur2(Buffer.from('21')), -973932308)
  assert.equal(murmur2(Buffer.from('foobar')), -790332482)
  assert.equal(murmur2(Buffer.from('a-little-bit-long-string')), -985981536)
  assert.equal(murmur2(Buffer.from('a-little-bit-longer-string')), -1486304829)
  assert.equal(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')), -58897971)
  assert.equal(partitionForKey('21', 6), (-973932308 & 0x7fffffff) % 6)
})
