import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from '@platformatic/kafka'
import type { BusRecord } from '../bus.ts'

const LOG_APPEND_TIME = 1 << 3
const ABORT_MARKER = 0

export interface AbortedTransaction {
  readonly producerId: bigint
  readonly firstOffset: bigint
}

export interface FetchedData {
  readonly abortedTransactions?: readonly AbortedTransaction[] | null
  readonly records?: readonly RecordsBatch[] | null
}

export interface DecodedPartition {
  readonly records: BusRecord[]
  /** Where the next fetch starts: after the last batch, control batches and skipped ones included. */
  readonly nextOffset: bigint
}

const utf8 = new TextDecoder()

function isAbortMarker(batch: RecordsBatch): boolean {
  const key = batch.records[0]?.key
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === ABORT_MARKER
}

function toHeaders(headers: readonly (readonly [Buffer | null, Buffer | null])[]): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of headers) {
    if (name !== null) result[utf8.decode(name)] = value === null ? '' : utf8.decode(value)
  }
  return result
}

/**
 * Turns one partition of a read_committed fetch response into records. Aborted transactions are
 * dropped as the Java consumer does: a producer's transactional batches are skipped from the first
 * offset of its aborted transaction until its abort marker. Records before `fetchedFrom` (a batch can
 * start earlier than the requested offset) are dropped too.
 */
export function decodePartition(
  topic: string,
  partition: number,
  fetchedFrom: bigint,
  data: FetchedData,
): DecodedPartition {
  const pendingAborts = [...(data.abortedTransactions ?? [])].sort((a, b) =>
    a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
  )
  const abortedProducers = new Set<bigint>()
  const records: BusRecord[] = []
  let nextOffset = fetchedFrom
  for (const batch of data.records ?? []) {
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta)
    if (lastOffset < fetchedFrom) continue
    nextOffset = lastOffset + 1n
    while (pendingAborts[0] !== undefined && pendingAborts[0].firstOffset <= lastOffset) {
      abortedProducers.add(pendingAborts[0].producerId)
      pendingAborts.shift()
    }
    const isTransactional = (batch.attributes & IS_TRANSACTIONAL) !== 0
    if ((batch.attributes & IS_CONTROL) !== 0) {
      if (isTransactional && isAbortMarker(batch)) abortedProducers.delete(batch.producerId)
      continue
    }
    if (isTransactional && abortedProducers.has(batch.producerId)) continue
    const isLogAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta)
      if (offset < fetchedFrom) continue
      records.push({
        topic,
        partition,
        offset,
        key: record.key === null ? null : utf8.decode(record.key),
        // A copy, so that a kept value does not pin the whole fetch response in memory.
        value: record.value === null ? null : new Uint8Array(record.value),
        timestamp: Number(
          isLogAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta,
        ),
        headers: toHeaders(record.headers),
      })
    }
  }
  return { records, nextOffset }
}
