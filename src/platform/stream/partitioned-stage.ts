import type { BusRecord, OutgoingRecord } from '../bus/bus.ts'
import type { LoggedStore } from './changelogged-store.ts'

/**
 * A stateful stage whose state lives in changelogged stores (`createChangeloggedStore`): the loop
 * restores them when partitions are assigned, forgets them when partitions are revoked or the
 * consumer restarts, and flushes their changes into each batch's transaction. The stage itself
 * only processes records against them.
 */
export interface PartitionedStage {
  readonly stores: readonly LoggedStore[]
  /** Applies a batch of records and returns its outputs and dead letters; the stores' changes are added after. */
  process(records: readonly BusRecord[]): OutgoingRecord[]
  /**
   * Optional work on the wall clock (e.g. closing due bars): called after a poll that found
   * nothing, and after a batch at most every second, so a busy stream still gets it.
   */
  readonly tick?: (nowMs: number) => OutgoingRecord[]
}
