import { DEAD_LETTER_SCHEMA_VERSION, deadLetterSchema } from '../../core/contracts/dead-letter.ts'
import { encodeMessage, MAX_MESSAGE_BYTES } from '../../core/contracts/decode-message.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import type { BusRecord, OutgoingRecord } from './bus.ts'

const MAX_REASON_CHARS = 2048
const MAX_KEY_CHARS = 1024
/** Kept bytes, so that a dead letter (base64 is 4/3 larger) stays under the size limit of every message. */
const MAX_KEPT_BYTES = 128 * 1024
const CUT_NOTE = ` (the dead letter keeps the first ${MAX_KEPT_BYTES} bytes)`

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
  // Whole, a message near or over the size limit would make a dead letter over it, or even over the
  // broker's limit, failing every transaction that carries it: its first bytes are kept, and the
  // reason says so.
  const original = record.value
  const isCut = original !== null && original.byteLength > MAX_KEPT_BYTES
  const value = isCut ? original.subarray(0, MAX_KEPT_BYTES) : original
  const why = (reason === '' ? 'no reason given' : reason).slice(
    0,
    MAX_REASON_CHARS - (isCut ? CUT_NOTE.length : 0),
  )
  const deadLetter = deadLetterSchema.parse({
    schema: DEAD_LETTER_SCHEMA_VERSION,
    sourceTopic: record.topic,
    partition: record.partition,
    offset: record.offset.toString(),
    key: record.key === null ? null : record.key.slice(0, MAX_KEY_CHARS),
    reason: isCut ? `${why}${CUT_NOTE}` : why,
    valueBase64:
      value === null ? '' : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    failedAt: now,
    service,
  })
  return {
    topic: topicPrefix + TOPICS.deadLetters,
    // A key that long is no symbol; cut, so that the dead letter stays under the broker's limit.
    key:
      record.key === null
        ? 'unknown'
        : record.key.length > MAX_MESSAGE_BYTES
          ? record.key.slice(0, MAX_KEY_CHARS)
          : record.key,
    value: encodeMessage(deadLetter),
  }
}
