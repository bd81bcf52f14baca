import { DEAD_LETTER_SCHEMA_VERSION, deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { encodeMessage } from '../../core/contracts/decode-message.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import type { BusRecord, OutgoingRecord } from './bus.ts'

const MAX_REASON_CHARS = 2048
const MAX_KEY_CHARS = 1024

/**
 * The dead letter of a record that could not be used: its original bytes (base64), where it came
 * from and why, for `topicPrefix` + dead-letters, keyed like the record so that one symbol's dead
 * letters stay in order.
 */
export function toDeadLetter(
  record: BusRecord,
  reason: string,
  service: string,
  now: number,
  topicPrefix = '',
): OutgoingRecord {
  const value = record.value
  const deadLetter = deadLetterSchema.parse({
    schema: DEAD_LETTER_SCHEMA_VERSION,
    sourceTopic: record.topic,
    partition: record.partition,
    offset: record.offset.toString(),
    key: record.key === null ? null : record.key.slice(0, MAX_KEY_CHARS),
    reason: (reason === '' ? 'no reason given' : reason).slice(0, MAX_REASON_CHARS),
    valueBase64:
      value === null ? '' : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    failedAt: now,
    service,
  })
  return {
    topic: topicPrefix + TOPICS.deadLetters,
    key: record.key ?? 'unknown',
    value: encodeMessage(deadLetter),
  }
}
