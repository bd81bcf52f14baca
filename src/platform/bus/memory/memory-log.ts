import type { BusRecord, OutgoingRecord } from '../bus.ts'

/** One partition of a topic: an append-only log of committed records. */
export class MemoryPartition {
  readonly records: (BusRecord | undefined)[] = []
  /** Offset of the first record still held in `records` (always 0 here: nothing is truncated). */
  readonly baseOffset = 0n
  readonly #latestIndexByKey = new Map<string, number>()
  readonly #isCompacted: boolean
  readonly #topic: string
  readonly #partition: number

  constructor(topic: string, partition: number, isCompacted: boolean) {
    this.#topic = topic
    this.#partition = partition
    this.#isCompacted = isCompacted
  }

  get endOffset(): bigint {
    return BigInt(this.records.length)
  }

  append(record: OutgoingRecord, timestamp: number): void {
    const index = this.records.length
    this.records.push({
      topic: this.#topic,
      partition: this.#partition,
      offset: BigInt(index),
      key: record.key,
      value: record.value,
      timestamp,
      headers: record.headers ?? {},
    })
    if (!this.#isCompacted) return
    // Eager compaction: an older record of the same key is dropped at once, so a read from the
    // start sees the latest value per key (and a tombstone's key disappears once superseded).
    const previous = this.#latestIndexByKey.get(record.key)
    if (previous !== undefined) this.records[previous] = undefined
    this.#latestIndexByKey.set(record.key, index)
  }

  /** Records from `offset` (inclusive) to `end` (exclusive), at most `limit`, skipping compacted gaps. */
  read(offset: bigint, limit: number, end: bigint = this.endOffset): BusRecord[] {
    const out: BusRecord[] = []
    for (let index = Number(offset); index < Number(end) && out.length < limit; index++) {
      const record = this.records[index]
      if (record !== undefined) out.push(record)
    }
    return out
  }
}
