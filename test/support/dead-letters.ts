import assert from 'node:assert/strict'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { deadLetterSchema, type DeadLetter } from '../../src/core/contracts/dead-letter.ts'
import type { BusRecord } from '../../src/platform/bus/bus.ts'
import { partitionForKey } from '../../src/platform/bus/murmur2.ts'
import type { HostileMessage } from './hostile-quotes.ts'

export interface StreamEntry {
  readonly key: string
  readonly value: Uint8Array | null
  readonly bad?: HostileMessage
}

/** A dead letter keeps this many bytes of a larger message (src/platform/bus/dead-letter.ts). */
const KEPT_BYTES = 128 * 1024

const position = (topic: string, partition: number, offset: bigint): string =>
  `${topic}/${partition}/${offset}`

/**
 * Where each bad message of a produced stream landed: the records of `topic` matched, per
 * partition and in order, with the stream's entries that hash to that partition.
 */
export function badPositions(
  stream: readonly StreamEntry[],
  records: readonly BusRecord[],
  partitions: number,
): Map<string, HostileMessage> {
  const byPartition = new Map<number, BusRecord[]>()
  for (const record of records)
    byPartition.set(record.partition, [...(byPartition.get(record.partition) ?? []), record])
  const seen = new Map<number, number>()
  const positions = new Map<string, HostileMessage>()
  for (const entry of stream) {
    const partition = partitionForKey(entry.key, partitions)
    const index = seen.get(partition) ?? 0
    seen.set(partition, index + 1)
    const record = byPartition.get(partition)?.[index]
    assert.ok(
      record !== undefined,
      `record #${index} of partition ${partition} is missing from the input topic`,
    )
    assert.equal(
      record.key,
      entry.key,
      `input partition ${partition} #${index} is not the message produced there`,
    )
    if (entry.bad !== undefined)
      positions.set(position(record.topic, record.partition, record.offset), entry.bad)
  }
  for (const [partition, list] of byPartition) {
    assert.equal(list.length, seen.get(partition) ?? 0, `input partition ${partition} holds other messages`)
  }
  return positions
}

/**
 * Asserts exactly one dead letter per bad message — at its source position, with its bytes, and a
 * reason that says what is wrong with it — and none for anything else. Returns the counts by kind.
 */
export function assertOneDeadLetterPerBadMessage(
  deadLetters: readonly BusRecord[],
  bad: ReadonlyMap<string, HostileMessage>,
  service: string,
): Map<string, number> {
  const found = new Map<string, DeadLetter>()
  for (const record of deadLetters) {
    const letter = decodeMessage(deadLetterSchema, record.value)
    assert.ok(letter.ok, `a dead letter that is not one: ${letter.ok ? '' : letter.error}`)
    const at = position(letter.value.sourceTopic, letter.value.partition, BigInt(letter.value.offset))
    assert.ok(!found.has(at), `two dead letters for ${at}`)
    assert.ok(bad.has(at), `a dead letter for a message that was not bad, at ${at}: ${letter.value.reason}`)
    found.set(at, letter.value)
  }
  const kinds = new Map<string, number>()
  for (const [at, message] of bad) {
    const letter = found.get(at)
    assert.ok(letter !== undefined, `no dead letter for the ${message.kind} message at ${at}`)
    assert.match(letter.reason, message.reason, `the reason for the ${message.kind} message at ${at}`)
    assert.equal(letter.service, service)
    assert.equal(letter.key, message.key.slice(0, 1024))
    const isCut = message.value !== null && message.value.byteLength > KEPT_BYTES
    const kept =
      message.value === null ? '' : Buffer.from(message.value.subarray(0, KEPT_BYTES)).toString('base64')
    assert.ok(
      letter.valueBase64 === kept,
      `the dead letter of the ${message.kind} message at ${at} keeps its bytes`,
    )
    assert.equal(letter.reason.endsWith(`(the dead letter keeps the first ${KEPT_BYTES} bytes)`), isCut)
    kinds.set(message.kind, (kinds.get(message.kind) ?? 0) + 1)
  }
  return kinds
}

/**
 * For bad messages whose positions are not known (written into a topic a service also writes):
 * asserts one dead letter per bad message, matched by key and bytes, with a reason that says what
 * is wrong, and no other dead letter. Returns the counts by kind.
 */
export function assertDeadLettersByBytes(
  deadLetters: readonly BusRecord[],
  bad: readonly HostileMessage[],
  service: string,
): Map<string, number> {
  const waiting = new Map<string, HostileMessage[]>()
  const identity = (key: string | null, base64: string): string => `${key ?? ''}\u0000${base64}`
  for (const message of bad) {
    const base64 =
      message.value === null ? '' : Buffer.from(message.value.subarray(0, KEPT_BYTES)).toString('base64')
    const at = identity(message.key.slice(0, 1024), base64)
    waiting.set(at, [...(waiting.get(at) ?? []), message])
  }
  const kinds = new Map<string, number>()
  for (const record of deadLetters) {
    const letter = decodeMessage(deadLetterSchema, record.value)
    assert.ok(letter.ok, `a dead letter that is not one: ${letter.ok ? '' : letter.error}`)
    assert.equal(letter.value.service, service)
    const candidates = waiting.get(identity(letter.value.key, letter.value.valueBase64)) ?? []
    const message = candidates.shift()
    assert.ok(message !== undefined, `a dead letter for a message that was not bad: ${letter.value.reason}`)
    assert.match(letter.value.reason, message.reason, `the reason for the ${message.kind} message`)
    kinds.set(message.kind, (kinds.get(message.kind) ?? 0) + 1)
  }
  const missing = [...waiting.values()].flat()
  assert.equal(
    missing.length,
    0,
    `no dead letter for ${missing.length} bad messages, e.g. ${missing[0]?.kind}`,
  )
  return kinds
}
