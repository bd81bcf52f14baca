import type { MessageToProduce } from '@platformatic/kafka'
import type { OutgoingRecord } from '../bus.ts'

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** Bus records as client messages; a null value stays null (a tombstone). */
export function toMessages(records: readonly OutgoingRecord[]): MessageToProduce[] {
  return records.map((record) => ({
    topic: record.topic,
    key: Buffer.from(record.key),
    ...(record.value === null ? {} : { value: asBuffer(record.value) }),
    ...(record.headers === undefined
      ? {}
      : {
          headers: Object.fromEntries(
            Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
          ),
        }),
  }))
}

/**
 * The broker refuses a partition's batch over message.max.bytes (1 MiB by default), and the client
 * sends each partition's share of a request as one batch: requests stay well under it.
 */
const MAX_REQUEST_BYTES = 512 * 1024

/** Consecutive chunks of about `maxBytes` at most (a larger record goes alone), order kept. */
export function chunkBySize(
  records: readonly OutgoingRecord[],
  maxBytes = MAX_REQUEST_BYTES,
): OutgoingRecord[][] {
  const chunks: OutgoingRecord[][] = []
  let chunk: OutgoingRecord[] = []
  let bytes = 0
  for (const record of records) {
    const size = record.key.length + (record.value?.byteLength ?? 0) + 64
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(record)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}
