import type { Logger } from 'pino'
import type { Bus, BusConsumer } from '../bus/bus.ts'
import { produceAndCommit } from '../bus/bus.ts'
import { decideOnFailure } from '../decide-on-failure.ts'
import { QuotecastError } from '../errors.ts'
import { createStageDriver } from './create-stage-driver.ts'
import type { PartitionedStage } from './partitioned-stage.ts'

export interface LoopOptions {
  readonly bus: Bus
  readonly groupId: string
  readonly topic: string
  readonly stage: PartitionedStage
  readonly signal: AbortSignal
  readonly logger: Logger
  /** Consume, produce and commit in one transaction (default) or produce then commit. */
  readonly isExactlyOnce?: boolean
  readonly maxRecords?: number
  readonly onBatch?: (consumed: number, produced: number) => void
  /** Called after every poll, the first of which has joined the group and restored state. */
  readonly onReady?: () => void
  /** The wall clock passed to `stage.tick`; injected by tests. Default `Date.now`. */
  readonly now?: () => number
  /** Injected so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>
}

/**
 * A poll returns what has been fetched, up to this: a backlog is worked through in large
 * transactions, whose fixed round trips (partitions and offsets added, the commit) then weigh
 * little per record, while a trickle is still committed record by record.
 */
const DEFAULT_MAX_RECORDS = 5000

/** Commits refused by a rebalance in a row that the same consumer redoes before it is recreated. */
const MAX_REFUSALS_IN_A_ROW = 3

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Consumes a topic as a member of a group until `signal` aborts: each batch's outputs and the
 * consumed positions are committed in one transaction, so a crash anywhere neither loses nor
 * repeats output. On a failure a retry can get past (`decideOnFailure`) the in-memory state is
 * dropped, the consumer is recreated and state is restored from what was committed — the same path
 * as a restart; on any other, the loop rejects with it.
 */
export async function runPartitionedLoop(options: LoopOptions): Promise<void> {
  const sleep = options.sleep ?? defaultSleep
  const now = options.now ?? Date.now
  let backoffMs = 250
  let refusals = 0
  const isStopped = (): boolean => options.signal.aborted
  const driver = createStageDriver(options.stage, options.logger)
  while (!isStopped()) {
    let consumer: BusConsumer | undefined
    try {
      consumer = await options.bus.consumer({
        groupId: options.groupId,
        topics: [options.topic],
        fromBeginning: true,
        onAssigned: driver.onAssigned,
        onRevoked: driver.onRevoked,
      })
      while (!isStopped()) {
        const records = await consumer.poll({
          maxRecords: options.maxRecords ?? DEFAULT_MAX_RECORDS,
          maxWaitMs: 500,
        })
        // The first poll has joined the group and restored the assigned partitions' state.
        options.onReady?.()
        // With no records, still the stores' restore-time dead letters and tombstones.
        const outputs = driver.step(records, now())
        if (records.length === 0 && outputs.length === 0) continue
        if (options.isExactlyOnce === false) {
          if (outputs.length > 0) await options.bus.produce(outputs)
          await consumer.commit(records)
        } else {
          try {
            await produceAndCommit(consumer, outputs, records)
          } catch (error) {
            const isRefused = QuotecastError.is(error, 'BUS_REBALANCED')
            // A refusal again and again (a rebalance the consumer never follows) recreates it.
            if (!isRefused || ++refusals > MAX_REFUSALS_IN_A_ROW) throw error
            // The transaction was aborted and the consumer put back to its committed offsets. It
            // stays in the group: closing it would leave the group and start another rebalance,
            // which would refuse the other members' commits in turn. The state is restored from
            // the last commit; the next poll follows the rebalance (revoking, assigning).
            options.logger.info({ err: error }, 'commit refused by a rebalance: redoing from the last commit')
            driver.forgetAll()
            await driver.onAssigned(consumer.assignment())
            continue
          }
        }
        options.onBatch?.(records.length, outputs.length)
        backoffMs = 250
        refusals = 0
      }
    } catch (error) {
      if (isStopped()) break
      driver.forgetAll()
      refusals = 0
      await consumer?.close().catch(() => undefined)
      consumer = undefined
      const decision = decideOnFailure(error, {
        logger: options.logger,
        retryInMs: backoffMs,
        retrying: 'consumer failed: restoring state from the last commit',
      })
      if (decision === 'stop') throw error
      await sleep(backoffMs)
      backoffMs = Math.min(backoffMs * 2, 10_000)
    } finally {
      await consumer?.close().catch(() => undefined)
    }
  }
}
