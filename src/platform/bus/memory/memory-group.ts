import type { TopicPartition } from '../bus.ts'

/** A consumer group: its members, its generation (bumped on every join or leave) and committed positions. */
export class MemoryGroup {
  readonly #members: string[] = []
  readonly #committed = new Map<string, bigint>()
  #generation = 0

  get generation(): number {
    return this.#generation
  }

  join(memberId: string): void {
    this.#members.push(memberId)
    this.#members.sort()
    this.#generation++
  }

  leave(memberId: string): void {
    const index = this.#members.indexOf(memberId)
    if (index < 0) return
    this.#members.splice(index, 1)
    this.#generation++
  }

  /** Round-robin over the sorted members, per topic: deterministic, and every partition owned once. */
  assignmentOf(memberId: string, partitionCounts: ReadonlyMap<string, number>): TopicPartition[] {
    const memberIndex = this.#members.indexOf(memberId)
    if (memberIndex < 0) return []
    const assigned: TopicPartition[] = []
    for (const [topic, count] of partitionCounts) {
      for (let partition = 0; partition < count; partition++) {
        if (partition % this.#members.length === memberIndex) assigned.push({ topic, partition })
      }
    }
    return assigned
  }

  committed(topic: string, partition: number): bigint | undefined {
    return this.#committed.get(`${topic}\u0000${partition}`)
  }

  commit(positions: ReadonlyMap<string, { topic: string; partition: number; position: bigint }>): void {
    for (const { topic, partition, position } of positions.values()) {
      this.#committed.set(`${topic}\u0000${partition}`, position)
    }
  }
}
