import { Admin, type SASLOptions } from '@platformatic/kafka'
import { setTimeout as sleep } from 'node:timers/promises'
import type { BusRecord } from '../../src/platform/bus/bus.ts'
import { createKafkaBus, type KafkaBus, type KafkaBusOptions } from '../../src/platform/bus/kafka-bus.ts'

/** Per partition: the offset after its last committed record (what a caught-up group has committed). */
export type PartitionEnds = ReadonlyMap<number, bigint>

/**
 * What a test needs to look at a broker from outside the services: a KafkaBus that reads topics
 * read_committed to their end, and an admin client for the groups' committed offsets.
 */
export class KafkaProbe {
  readonly bus: KafkaBus
  readonly #admin: Admin

  constructor(bootstrap: string, options: { sasl?: SASLOptions; clientId?: string } = {}) {
    const busOptions: KafkaBusOptions = {
      bootstrapServers: bootstrap.split(','),
      clientId: options.clientId ?? 'test-probe',
      ...(options.sasl === undefined ? {} : { sasl: options.sasl as KafkaBusOptions['sasl'] & object }),
    }
    this.bus = createKafkaBus(busOptions)
    this.#admin = new Admin({
      clientId: `${busOptions.clientId}-admin`,
      bootstrapBrokers: [...busOptions.bootstrapServers],
      retries: 5,
      ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    })
  }

  /** Every committed record of the topic, partition by partition, in offset order. */
  read(topic: string): Promise<readonly BusRecord[]> {
    return this.bus.readToEnd(topic)
  }

  /** The offset after the last committed record of each non-empty partition. */
  async ends(topic: string): Promise<PartitionEnds> {
    return endsOf(await this.read(topic))
  }

  /** The group's committed offset per partition of `topic` (partitions it never committed are absent). */
  async committed(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const [group] = await this.#admin.listConsumerGroupOffsets({ groups: [groupId] })
    const offsets = new Map<number, bigint>()
    for (const entry of group?.topics ?? []) {
      if (entry.name !== topic) continue
      for (const partition of entry.partitions) {
        if (partition.committedOffset >= 0n) offsets.set(partition.partitionIndex, partition.committedOffset)
      }
    }
    return offsets
  }

  /**
   * The log end offset of each partition, cheaply (no read). On a topic written in transactions
   * it counts their commit markers too, so a caught-up group there lags by about one per partition.
   */
  async endOffsets(topic: string, partitions: number): Promise<PartitionEnds> {
    const listed = await this.#admin.listOffsets({
      topics: [
        {
          name: topic,
          partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
            partitionIndex,
            timestamp: -1n,
          })),
        },
      ],
    })
    return new Map(
      (listed[0]?.partitions ?? []).map((partition) => [partition.partitionIndex, partition.offset]),
    )
  }

  /** Records the group has still to consume: the sum over partitions of end − committed. */
  async lag(groupId: string, topic: string, ends?: PartitionEnds): Promise<bigint> {
    const [committed, resolvedEnds] = await Promise.all([
      this.committed(groupId, topic),
      ends ?? this.ends(topic),
    ])
    let lag = 0n
    for (const [partition, end] of resolvedEnds) {
      const at = committed.get(partition) ?? 0n
      if (end > at) lag += end - at
    }
    return lag
  }

  /**
   * Waits until the group has committed past the last record of every partition of `topic`.
   * With transactions that commit outputs and offsets together, every output is then written.
   * `ends` fixes the target (a topic that no longer grows); otherwise it is read again each round.
   */
  async waitForCaughtUp(
    groupId: string,
    topic: string,
    options: { timeoutMs: number; ends?: PartitionEnds; onWait?: () => void },
  ): Promise<void> {
    const deadline = Date.now() + options.timeoutMs
    let lag = -1n
    for (;;) {
      lag = await this.lag(groupId, topic, options.ends)
      if (lag === 0n) return
      if (Date.now() > deadline) {
        throw new Error(
          `group ${groupId} still ${lag} records behind on ${topic} after ${options.timeoutMs} ms`,
        )
      }
      options.onWait?.()
      await sleep(300)
    }
  }

  /** Waits until the group is stable with `members` members, each of which owns partitions. */
  async waitForMembers(groupId: string, members: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const group = (await this.#admin.describeGroups({ groups: [groupId] })).get(groupId)
      const owners = [...(group?.members.values() ?? [])].filter(
        (member) => (member.assignments?.size ?? 0) > 0,
      )
      if (
        String(group?.state).toUpperCase() === 'STABLE' &&
        group?.members.size === members &&
        owners.length === members
      )
        return
      if (Date.now() > deadline) {
        throw new Error(
          `group ${groupId} is ${group?.state ?? 'absent'} with ${owners.length} owning members, not ${members}`,
        )
      }
      await sleep(200)
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.bus.close(), this.#admin.close()])
  }
}

export function endsOf(records: readonly BusRecord[]): PartitionEnds {
  const ends = new Map<number, bigint>()
  for (const record of records) {
    const end = record.offset + 1n
    if (end > (ends.get(record.partition) ?? 0n)) ends.set(record.partition, end)
  }
  return ends
}
