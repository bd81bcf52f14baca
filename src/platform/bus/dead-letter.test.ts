import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { decodeMessage, MAX_MESSAGE_BYTES } from '../../core/contracts/decode-message.ts'
import type { BusRecord } from './bus.ts'
import { toDeadLetter } from './dead-letter.ts'

const FAILED_AT = Date.UTC(2025, 0, 2, 3, 4, 5)

function record(overrides: Partial<BusRecord>): BusRecord {
  return {
    topic: 'quotes',
    partition: 3,
    offset: 41n,
    key: 'AAPL',
    value: new TextEncoder().encode('{"symbol":'),
    timestamp: FAILED_AT - 1000,
    headers: {},
    ...overrides,
  }
}

function decoded(value: Uint8Array | null): unknown {
  const result = decodeMessage(deadLetterSchema, value)
  assert.ok(result.ok, result.ok ? '' : result.error)
  return result.value
}

test('a dead letter keeps the original bytes, where they came from and why', () => {
  const out = toDeadLetter(record({}), 'message is not JSON', 'processor', FAILED_AT)
  assert.equal(out.topic, 'dead-letters')
  assert.equal(out.key, 'AAPL')
  assert.deepEqual(decoded(out.value), {
    schema: 1,
    sourceTopic: 'quotes',
    partition: 3,
    offset: '41',
    key: 'AAPL',
    reason: 'message is not JSON',
    valueBase64: 'eyJzeW1ib2wiOg==',
    failedAt: FAILED_AT,
    service: 'processor',
  })
})

test('the base64 decodes to the exact bytes consumed, even from a view into a larger buffer', () => {
  const backing = Uint8Array.from([9, 9, 0, 255, 128, 10, 9])
  const value = backing.subarray(2, 6)
  const out = toDeadLetter(record({ value }), 'bad', 'processor', FAILED_AT)
  const letter = deadLetterSchema.parse(JSON.parse(new TextDecoder().decode(out.value ?? new Uint8Array())))
  assert.deepEqual([...Buffer.from(letter.valueBase64, 'base64')], [0, 255, 128, 10])
})

test('cases: key, value and reason at their limits', () => {
  const cases = [
    {
      name: 'no key',
      input: record({ key: null }),
      reason: 'x',
      key: 'unknown',
      letterKey: null,
      reasonLength: 1,
    },
    {
      name: 'no value',
      input: record({ value: null }),
      reason: 'empty message',
      key: 'AAPL',
      letterKey: 'AAPL',
      reasonLength: 13,
    },
    {
      name: 'long reason',
      input: record({}),
      reason: 'r'.repeat(5000),
      key: 'AAPL',
      letterKey: 'AAPL',
      reasonLength: 2048,
    },
    { name: 'empty reason', input: record({}), reason: '', key: 'AAPL', letterKey: 'AAPL', reasonLength: 15 },
    {
      name: 'long key',
      input: record({ key: 'K'.repeat(3000) }),
      reason: 'x',
      key: 'K'.repeat(3000),
      letterKey: 'K'.repeat(1024),
      reasonLength: 1,
    },
  ]
  for (const testCase of cases) {
    const out = toDeadLetter(testCase.input, testCase.reason, 'processor', FAILED_AT, 'qc.')
    const letter = deadLetterSchema.parse(decoded(out.value))
    assert.equal(out.topic, 'qc.dead-letters', testCase.name)
    assert.equal(out.key, testCase.key, testCase.name)
    assert.equal(letter.key, testCase.letterKey, testCase.name)
    assert.equal(letter.reason.length, testCase.reasonLength, testCase.name)
  }
})

test('a broken invariant (no service name) throws instead of writing an invalid dead letter', () => {
  assert.throws(() => toDeadLetter(record({}), 'bad', '', FAILED_AT))
})

test('a message near or over the size limit keeps its first bytes and says so; a huge key is cut', () => {
  const value = new Uint8Array(MAX_MESSAGE_BYTES + 10_000).fill(0x41)
  const key = 'K'.repeat(300_000)
  const out = toDeadLetter(record({ value, key }), 'too big', 'processor', FAILED_AT)
  const letter = deadLetterSchema.parse(JSON.parse(new TextDecoder().decode(out.value ?? new Uint8Array())))
  assert.equal(letter.reason, 'too big (the dead letter keeps the first 131072 bytes)')
  assert.deepEqual(Buffer.from(letter.valueBase64, 'base64'), Buffer.from(value.subarray(0, 131072)))
  assert.ok((out.value?.byteLength ?? 0) < MAX_MESSAGE_BYTES, 'a dead letter is itself a readable message')
  assert.equal(out.key.length, 1024)
})
