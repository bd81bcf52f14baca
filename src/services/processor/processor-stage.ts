import { applyQuote } from '../../core/bars/apply-quote.ts'
import { closeDueBars, closeDueBarsOnAxis } from '../../core/bars/close-due-bars.ts'
import type { BarConfig } from '../../core/bars/resolve-bar-config.ts'
import type { BarSpan } from '../../core/bars/session-bar.ts'
import { isDueOnSession, sessionCloseDueAt } from '../../core/bars/session-close-due-at.ts'
import type { Bar } from '../../core/contracts/bar.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import { exchangeOfSymbol } from '../../core/providers/exchange-of-symbol.ts'
import { EXCHANGE_CALENDARS } from '../../core/schedule/exchange-calendars.ts'
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
  /**
   * Close each open bar on the wall clock at its session's close plus `graceMs`
   * (session-close-due-at.ts), but only while that is at most `horizonMs` ago: a live day's bar
   * is published after the close, a replay of old snapshots is left to event time. Unset: off.
   */
  readonly sessionClose?: { readonly graceMs: number; readonly horizonMs: number }
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

  // Due times by exchange and bar start: the calendar's time-zone arithmetic is done once per bar, not per symbol and tick.
  const calendars = options.barConfig.calendars ?? EXCHANGE_CALENDARS
  const dueTimes = new Map<string, number>()
  const isSessionDue = (symbol: string, bar: BarSpan, nowMs: number): boolean => {
    const session = options.sessionClose
    if (session === undefined) return false
    const exchange = exchangeOfSymbol(symbol)
    const key = `${exchange}:${bar.start}`
    let dueMs = dueTimes.get(key)
    if (dueMs === undefined) {
      if (dueTimes.size >= 4096) dueTimes.clear()
      dueMs = sessionCloseDueAt(bar, calendars[exchange], options.barConfig, session.graceMs)
      dueTimes.set(key, dueMs)
    }
    return isDueOnSession(dueMs, nowMs, session.horizonMs)
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
    if (applied.duplicate !== null) {
      options.metrics.duplicates.inc({ kind: applied.duplicate })
      return undefined
    }
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

    ...(options.isClosingOnClock === true || options.sessionClose !== undefined
      ? {
          tick(nowMs: number): OutgoingRecord[] {
            const outputs: OutgoingRecord[] = []
            const watermarkMs = nowMs - options.barConfig.allowedLatenessMs
            for (const entry of states.entries()) {
              const state = entry.value
              const bars = state.bars
              if (bars.open.length === 0) continue
              let isChanged = false
              if (options.isClosingOnClock === true) {
                const closed = closeDueBars(bars, watermarkMs, options.barConfig)
                if (closed.completed.length > 0) {
                  emitBars(state, closed.completed, outputs)
                  isChanged = true
                }
              }
              for (
                let bar = bars.open[0];
                bar !== undefined && isSessionDue(entry.key, bar, nowMs);
                bar = bars.open[0]
              ) {
                emitBars(state, closeDueBarsOnAxis(bars, bar.end, options.barConfig).completed, outputs)
                isChanged = true
              }
              if (isChanged) states.put(entry.key, state, entry.partition)
            }
            return outputs
          },
        }
      : {}),
  }
}
