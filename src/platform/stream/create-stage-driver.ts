import type { Logger } from 'pino'
import type { BusRecord, OutgoingRecord, TopicPartition } from '../bus/bus.ts'
import type { PartitionedStage } from './partitioned-stage.ts'

const BUSY_TICK_EVERY_MS = 1000

export interface StageDriver {
  /** For the consumer's `onAssigned`: restores every store of the stage for the new partitions. */
  readonly onAssigned: (partitions: readonly TopicPartition[]) => Promise<void>
  /** For the consumer's `onRevoked`: forgets the partitions given away. */
  readonly onRevoked: (partitions: readonly TopicPartition[]) => Promise<void>
  /** Drops all state (and what was not flushed), before the consumer is recreated. */
  readonly forgetAll: () => void
  /**
   * One batch: `process`, then `tick` (after a poll that found nothing, and after a batch at most
   * every second, so that a busy stream still gets it), then every store's changes.
   */
  readonly step: (records: readonly BusRecord[], nowMs: number) => OutgoingRecord[]
}

/** What a loop does with a stage and its stores, for the partitioned loop and the tests that drive a stage. */
export function createStageDriver(stage: PartitionedStage, logger: Logger): StageDriver {
  let tickedAtMs = -Infinity
  return {
    async onAssigned(partitions) {
      for (const store of stage.stores) {
        const { unreadable } = await store.restore(partitions)
        for (const value of unreadable) {
          logger.error(
            { ...value, offset: String(value.offset) },
            'unreadable state value dead-lettered: its key starts fresh',
          )
        }
      }
    },
    onRevoked(partitions) {
      for (const store of stage.stores) store.forget(partitions)
      return Promise.resolve()
    },
    forgetAll() {
      for (const store of stage.stores) store.forget('all')
    },
    step(records, nowMs) {
      let outputs = records.length > 0 ? stage.process(records) : []
      if (stage.tick !== undefined && (records.length === 0 || nowMs - tickedAtMs >= BUSY_TICK_EVERY_MS)) {
        tickedAtMs = nowMs
        const ticked = stage.tick(nowMs)
        if (ticked.length > 0) outputs = outputs.length > 0 ? [...outputs, ...ticked] : ticked
      }
      for (const store of stage.stores) store.flush(outputs)
      return outputs
    },
  }
}
