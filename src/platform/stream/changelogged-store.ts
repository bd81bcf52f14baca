import type { Result } from '../../core/contracts/result.ts'
import type { Bus, BusRecord, OutgoingRecord, TopicPartition } from '../bus/bus.ts'
import { toDeadLetter } from '../bus/dead-letter.ts'

/** How a store's values become changelog bytes and back. */
export interface StoreCodec<V> {
  /** The values changed since the last flush, in one call so that a codec can share work across them. */
  readonly encodeAll: (values: readonly V[]) => readonly Uint8Array[]
  /** A changelog value back to a value; an error (or a throw) makes the value unreadable. */
  readonly decode: (bytes: Uint8Array, key: string) => Result<V>
}

export interface StoreEntry<V> {
  readonly key: string
  readonly partition: number
  readonly value: V
}

/** What a stage sees: a key-value map whose changes reach the changelog at the end of the batch. */
export interface KeyValueStore<V> {
  get(key: string): V | undefined
  /** Keeps `value` (changed or not in place) as the value of `key`, which lives in `partition`. */
  put(key: string, value: V, partition: number): void
  /** Removes the key; the next flush writes its tombstone. */
  delete(key: string): void
  entries(): IterableIterator<StoreEntry<V>>
  readonly size: number
}

/** A changelog value that could not be read on restore: dead-lettered, its key started fresh. */
export interface UnreadableValue {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
  readonly key: string
  readonly reason: string
}

/** What the partitioned loop sees: restore on assignment, forget on revocation, flush into each transaction. */
export interface LoggedStore {
  readonly topic: string
  /** Reads the changelog of the partitions to its end; an unreadable value never fails it. */
  restore(partitions: readonly TopicPartition[]): Promise<{ readonly unreadable: readonly UnreadableValue[] }>
  forget(partitions: readonly TopicPartition[] | 'all'): void
  /** Appends the changed values, tombstones and restore-time dead letters since the last flush. */
  flush(outputs: OutgoingRecord[]): void
}

export type ChangeloggedStore<V> = KeyValueStore<V> & LoggedStore

export interface ChangeloggedStoreOptions<V> {
  readonly bus: Pick<Bus, 'readToEnd'>
  /** The compacted changelog topic, keyed and partitioned like the stage's input. */
  readonly topic: string
  readonly codec: StoreCodec<V>
  /** For the dead letters of unreadable values: the service named in them and the dead-letter topic's prefix. */
  readonly service: string
  readonly topicPrefix: string
  readonly now: () => number
  /** Called once per unreadable value restored, e.g. to count it. */
  readonly onUnreadable?: (value: UnreadableValue) => void
}

type Entry<V> = { readonly key: string; partition: number; value: V }

const decodeSafely = <V>(codec: StoreCodec<V>, bytes: Uint8Array, key: string): Result<V> => {
  try {
    return codec.decode(bytes, key)
  } catch (error) {
    return { ok: false, error: `decoding threw: ${String(error)}` }
  }
}

/**
 * A partition-aware key-value store logged to a compacted topic (Kafka Streams' store with
 * logging enabled). The loop restores it when partitions are assigned, forgets it when they are
 * revoked and flushes it into each batch's transaction, so a stage only gets and puts.
 *
 * A value that cannot be decoded on restore does not fail the restore: its key starts fresh, and
 * the next flush carries a dead letter of the value (its topic, partition, offset, key and bytes)
 * and a tombstone over it, in the same transaction, so a later restore does not meet it again.
 */
export function createChangeloggedStore<V>(options: ChangeloggedStoreOptions<V>): ChangeloggedStore<V> {
  const { topic, codec } = options
  const entries = new Map<string, Entry<V>>()
  const dirty = new Set<Entry<V>>()
  /** Keys removed since the last flush, by partition: a tombstone each. */
  const tombstones = new Map<string, number>()
  const unreadable: { record: BusRecord; reason: string }[] = []
  // The entry of the last get: a stage that gets then puts a key looks it up once.
  let last: Entry<V> | undefined

  return {
    topic,

    get(key) {
      const entry = entries.get(key)
      last = entry
      return entry?.value
    },

    put(key, value, partition) {
      let entry = last !== undefined && last.key === key ? last : entries.get(key)
      if (entry === undefined) {
        entry = { key, partition, value }
        entries.set(key, entry)
      } else {
        entry.partition = partition
        entry.value = value
      }
      last = entry
      dirty.add(entry)
      if (tombstones.size > 0) tombstones.delete(key)
    },

    delete(key) {
      const entry = entries.get(key)
      if (entry === undefined) return
      entries.delete(key)
      dirty.delete(entry)
      if (last === entry) last = undefined
      tombstones.set(key, entry.partition)
    },

    entries: () => entries.values(),

    get size() {
      return entries.size
    },

    async restore(partitions) {
      const records = await options.bus.readToEnd(
        topic,
        partitions.map((tp) => tp.partition),
      )
      // By key: a value superseded later in the log (before compaction removed it) lost nothing.
      const bad = new Map<string, { record: BusRecord; reason: string }>()
      for (const record of records) {
        const key = record.key
        if (key === null) continue
        if (record.value === null) {
          entries.delete(key)
          bad.delete(key)
          continue
        }
        const decoded = decodeSafely(codec, record.value, key)
        if (decoded.ok) {
          entries.set(key, { key, partition: record.partition, value: decoded.value })
          bad.delete(key)
        } else {
          entries.delete(key)
          bad.set(key, { record, reason: decoded.error })
        }
      }
      last = undefined
      const found: UnreadableValue[] = []
      for (const [key, { record, reason }] of bad) {
        unreadable.push({ record, reason })
        tombstones.set(key, record.partition)
        const value = { topic, partition: record.partition, offset: record.offset, key, reason }
        found.push(value)
        options.onUnreadable?.(value)
      }
      return { unreadable: found }
    },

    forget(partitions) {
      last = undefined
      if (partitions === 'all') {
        entries.clear()
        dirty.clear()
        tombstones.clear()
        unreadable.length = 0
        return
      }
      // The input's partitions: the changelog is co-partitioned with it, so the numbers are the same.
      const lost = new Set(partitions.map((tp) => tp.partition))
      for (const [key, entry] of entries) {
        if (!lost.has(entry.partition)) continue
        entries.delete(key)
        dirty.delete(entry)
      }
      for (const [key, partition] of tombstones) if (lost.has(partition)) tombstones.delete(key)
      const kept = unreadable.filter(({ record }) => !lost.has(record.partition))
      unreadable.splice(0, unreadable.length, ...kept)
    },

    flush(outputs) {
      for (const { record, reason } of unreadable) {
        const why = `unreadable ${topic} value, its key starts fresh: ${reason}`
        outputs.push(toDeadLetter(record, why, options.service, options.now(), options.topicPrefix))
      }
      unreadable.length = 0
      if (dirty.size > 0) {
        const changed = [...dirty]
        const values = codec.encodeAll(changed.map((entry) => entry.value))
        for (const [index, entry] of changed.entries())
          outputs.push({ topic, key: entry.key, value: values[index]! })
        dirty.clear()
      }
      for (const key of tombstones.keys()) outputs.push({ topic, key, value: null })
      tombstones.clear()
    },
  }
}
