import type { TopicPartition } from '../bus.ts'
import { partitionKey } from './positions.ts'

/** A completed (re)join of a consumer group, as the client reports it. */
export interface GroupJoin {
  readonly memberId: string
  readonly generationId: number
  readonly assignments: readonly { readonly topic: string; readonly partitions: readonly number[] }[]
}

export interface AssignmentChange {
  /** Partitions no longer owned: their positions and fetched records are void. */
  readonly lost: readonly string[]
  /** Partitions newly owned: they start from the committed offset. */
  readonly gained: readonly string[]
}

/**
 * The partitions a consumer owns, and the onRevoked/onAssigned calls still due. A partition counts
 * as kept across a rebalance only when the member and the next generation follow on: after a
 * missed generation another member may have owned it meanwhile, so it is revoked and assigned again.
 */
export class AssignmentTracker {
  readonly #owned = new Map<string, TopicPartition>()
  #revoked: TopicPartition[] = []
  #assigned: TopicPartition[] = []
  #memberId = ''
  #generationId = -1

  get memberId(): string {
    return this.#memberId
  }

  get generationId(): number {
    return this.#generationId
  }

  has(topic: string, partition: number): boolean {
    return this.#owned.has(partitionKey(topic, partition))
  }

  get(key: string): TopicPartition | undefined {
    return this.#owned.get(key)
  }

  list(): TopicPartition[] {
    return [...this.#owned.values()]
  }

  apply(join: GroupJoin): AssignmentChange {
    const next = new Map<string, TopicPartition>()
    for (const { topic, partitions } of join.assignments) {
      for (const partition of partitions) next.set(partitionKey(topic, partition), { topic, partition })
    }
    const isContinuous = join.memberId === this.#memberId && join.generationId === this.#generationId + 1
    const lost: string[] = []
    for (const [key, owned] of this.#owned) {
      if (isContinuous && next.has(key)) continue
      this.#owned.delete(key)
      lost.push(key)
      const unannounced = this.#assigned.findIndex((tp) => partitionKey(tp.topic, tp.partition) === key)
      if (unannounced >= 0) this.#assigned.splice(unannounced, 1)
      else this.#revoked.push(owned)
    }
    const gained: string[] = []
    for (const [key, partition] of next) {
      if (this.#owned.has(key)) continue
      this.#owned.set(key, partition)
      this.#assigned.push(partition)
      gained.push(key)
    }
    this.#memberId = join.memberId
    this.#generationId = join.generationId
    return { lost, gained }
  }

  /**
   * The first partition of `positions` this member cannot commit: one it no longer owns, or, when
   * the group has rebalanced since the last poll, one the new generation gave to another member.
   */
  findLost<T extends TopicPartition>(
    positions: readonly T[],
    latest: { readonly generationId: number; readonly assignments: GroupJoin['assignments'] },
  ): T | undefined {
    const latestKeys = new Set(
      latest.assignments.flatMap(({ topic, partitions }) =>
        partitions.map((partition) => partitionKey(topic, partition)),
      ),
    )
    const hasRebalanced = latest.generationId !== this.#generationId
    return positions.find(
      ({ topic, partition }) =>
        !this.has(topic, partition) || (hasRebalanced && !latestKeys.has(partitionKey(topic, partition))),
    )
  }

  /** The calls due to onRevoked then onAssigned, each made once. */
  takeAnnouncements(): { revoked: TopicPartition[]; assigned: TopicPartition[] } {
    const due = { revoked: this.#revoked, assigned: this.#assigned }
    this.#revoked = []
    this.#assigned = []
    return due
  }
}
