import { applyQuote } from '../../core/bars/apply-quote.ts'
import { closeDueBars } from '../../core/bars/close-due-bars.ts'
import type { BarConfig } from '../../core/bars/resolve-bar-config.ts'
import type { Bar } from '../../core/contracts/bar.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import type { Bus, BusRecord, OutgoingRecord } from '../../platform/bus/bus.ts'
import { toDeadLetter } from '../../platform/bus/dead-letter.ts'
import { createChangeloggedStore } from '../../platform/stream/changelogged-store.ts'
import type { PartitionedStage } from '../../platform/stream/partitioned-stage.ts'
import type { ProcessorMetrics } from './processor-metrics.ts'
import { createProcessorState, type ProcessorState } from './processor-state.ts'
import { decodeProcessorState, encodeProcessorStates } from './processor-state-codec.ts'

export interface ProcessorStageOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly barConfig: BarConfig
  readonly metrics: ProcessorMetrics
  readonly now: () => number
  /**
   * A quote fetched later than `now()` plus this is from the future (a forged quote or a broken
   * clock): dead-lettered, since its bar would close every real bar before it. Unset: no check.
   */
  readonly maxFetchedAheadMs?: number
  /**
   * Close bars on the wall clock as well as on event time, so that the last bar of a session is
   * published at its end rather than at the next session's first quote. For live snapshots only:
   * a replay of old snapshots would see its open bars closed under it.
   */
  readonly isClosingOnClock?: boolean
}

/**
 * Quotes → bars → features for the symbols of the assigned partitions. Each batch returns the
 * bars, feature rows and dead letters it produced; the changed symbols' states go to the
 * `processor-state` changelog from the store, so that all of it commits with the consumed offsets.
 *
 * Each symbol's state is changed in place and never leaves the stage except encoded. If a batch
 * throws half-way, the loop forgets every state and restores the committed ones.
 */
export function createProcessorStage(options: ProcessorStageOptions): PartitionedStage {
  const topic = (name: string): string => options.topicPrefix + name
  const barsTopic = topic(TOPICS.bars)
  const featuresTopic = topic(TOPICS.features)
  const states = createChangeloggedStore<ProcessorState>({
    bus: options.bus,
    topic: topic(TOPICS.processorState),
    codec: { encodeAll: encodeProcessorStates, decode: decodeProcessorState },
    service: 'processor',
    topicPrefix: options.topicPrefix,
    now: options.now,
    onUnreadable: () => options.metrics.unreadableStates.inc(),
  })

  const deadLetter = (record: BusRecord, kind: string, reason: string): OutgoingRecord => {
    options.metrics.deadLettered.inc({ reason: kind })
    return toDeadLetter(record, reason, 'processor', options.now(), options.topicPrefix)
  }

  /** Publishes completed bars with their feature rows, advancing the feature state in place. */
  const emitBars = (state: ProcessorState, completed: readonly Bar[], outputs: OutgoingRecord[]): void => {
    for (const bar of completed) {
      const { row } = nextFeatures(state.features, bar)
      outputs.push({ topic: barsTopic, key: bar.symbol, value: encodeMessage(bar) })
      outputs.push({ topic: featuresTopic, key: bar.symbol, value: encodeMessage(row) })
      options.metrics.bars.inc()
    }
  }

  /** Applies one record, putting the symbol's state back in the store; returns a dead letter when the record cannot be used. */
  const apply = (record: BusRecord, outputs: OutgoingRecord[]): OutgoingRecord | undefined => {
    options.metrics.processed.inc()
    const decoded = decodeMessage(quoteSchema, record.value)
    if (!decoded.ok) return deadLetter(record, 'invalid', decoded.error)
    const quote = decoded.value
    if (record.key !== quote.symbol) {
      return deadLetter(
        record,
        'invalid',
        `key ${JSON.stringify(record.key)} is not the quote's symbol ${quote.symbol}`,
      )
    }
    const aheadMs = options.maxFetchedAheadMs
    if (aheadMs !== undefined && quote.fetchedAt > options.now() + aheadMs) {
      const at = new Date(quote.fetchedAt).toISOString()
      return deadLetter(
        record,
        'invalid',
        `fetchedAt ${at} is in the future (more than ${aheadMs} ms after the processor's clock)`,
      )
    }
    const state = states.get(quote.symbol) ?? createProcessorState(quote.symbol)
    const applied = applyQuote(state.bars, quote, options.barConfig)
    if (applied.rejected !== null) {
      return deadLetter(record, applied.rejected.kind, `${applied.rejected.kind}: ${applied.rejected.reason}`)
    }
    emitBars(state, applied.completed, outputs)
    states.put(quote.symbol, state, record.partition)
    return undefined
  }

  return {
    stores: [states],

    process(records: readonly BusRecord[]): OutgoingRecord[] {
      const outputs: OutgoingRecord[] = []
      for (const record of records) {
        const letter = apply(record, outputs)
        if (letter !== undefined) outputs.push(letter)
      }
      return outputs
    },

    ...(options.isClosingOnClock === true
      ? {
          tick(nowMs: number): OutgoingRecord[] {
            const outputs: OutgoingRecord[] = []
            const watermarkMs = nowMs - options.barConfig.allowedLatenessMs
            for (const entry of states.entries()) {
              const closed = closeDueBars(entry.value.bars, watermarkMs, options.barConfig)
              if (closed.completed.length === 0) continue
              emitBars(entry.value, closed.completed, outputs)
              states.put(entry.key, entry.value, entry.partition)
            }
            return outputs
          },
        }
      : {}),
  }
}
