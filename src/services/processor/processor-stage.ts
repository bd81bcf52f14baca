import { applyQuote } from '../../core/bars/apply-quote.ts'
import { closeDueBars, closeDueBarsOnAxis } from '../../core/bars/close-due-bars.ts'
import type { BarConfig } from '../../core/bars/resolve-bar-config.ts'
import { type BarSpan, isDueOnSession, sessionCloseDueAt } from '../../core/bars/session-close-due-at.ts'
import type { Bar } from '../../core/contracts/bar.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import { exchangeOfSymbol } from '../../core/providers/exchange-of-symbol.ts'
import { EXCHANGE_CALENDARS } from '../../core/schedule/exchange-calendars.ts'
import type { Bus, BusRecord, OutgoingRecord, TopicPartition } from '../../platform/bus/bus.ts'
import { toDeadLetter } from '../../platform/bus/dead-letter.ts'
import type { PartitionedStage } from '../../platform/stream/run-partitioned-loop.ts'
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

type Entry = { readonly symbol: string; partition: number; readonly state: ProcessorState }

/**
 * Quotes → bars → features for the symbols of the assigned partitions. Each batch returns the
 * bars, feature rows and dead letters it produced plus the changed symbols' state for the
 * changelog, so that all of it commits with the consumed offsets.
 *
 * Each symbol's state is changed in place and never leaves the stage except encoded. If a batch
 * throws half-way, the loop forgets every state and restores the committed ones.
 */
export function createProcessorStage(options: ProcessorStageOptions): PartitionedStage {
  const topic = (name: string): string => options.topicPrefix + name
  const barsTopic = topic(TOPICS.bars)
  const featuresTopic = topic(TOPICS.features)
  const stateTopic = topic(TOPICS.processorState)
  const states = new Map<string, Entry>()

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

  /** The changed symbols' states, by entry: looking them up again cost a miss each at thousands of symbols. */
  const emitChangelog = (changed: ReadonlySet<Entry>, outputs: OutgoingRecord[]): void => {
    const entries = [...changed]
    const values = encodeProcessorStates(entries.map((entry) => entry.state))
    for (const [index, entry] of entries.entries())
      outputs.push({ topic: stateTopic, key: entry.symbol, value: values[index]! })
  }

  // Due times by exchange and bar start: the calendar's time-zone arithmetic is done once per bar, not per symbol and tick.
  const dueTimes = new Map<string, number>()
  const isSessionDue = (symbol: string, bar: BarSpan, nowMs: number): boolean => {
    const session = options.sessionClose
    if (session === undefined) return false
    const exchange = exchangeOfSymbol(symbol)
    const key = `${exchange}:${bar.start}`
    let dueMs = dueTimes.get(key)
    if (dueMs === undefined) {
      if (dueTimes.size >= 4096) dueTimes.clear()
      dueMs = sessionCloseDueAt(bar, EXCHANGE_CALENDARS[exchange], options.barConfig, session.graceMs)
      dueTimes.set(key, dueMs)
    }
    return isDueOnSession(dueMs, nowMs, session.horizonMs)
  }

  /** Applies one record, adding the symbol's entry to `changed`; returns a dead letter when the record cannot be used. */
  const apply = (
    record: BusRecord,
    outputs: OutgoingRecord[],
    changed: Set<Entry>,
  ): OutgoingRecord | undefined => {
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
    const entry = states.get(quote.symbol)
    const state = entry?.state ?? createProcessorState(quote.symbol)
    const applied = applyQuote(state.bars, quote, options.barConfig)
    if (applied.duplicate !== null) {
      options.metrics.duplicates.inc({ kind: applied.duplicate })
      return undefined
    }
    if (applied.rejected !== null) {
      return deadLetter(record, applied.rejected.kind, `${applied.rejected.kind}: ${applied.rejected.reason}`)
    }
    emitBars(state, applied.completed, outputs)
    if (entry === undefined) {
      const created = { symbol: quote.symbol, partition: record.partition, state }
      states.set(quote.symbol, created)
      changed.add(created)
    } else {
      entry.partition = record.partition
      changed.add(entry)
    }
    return undefined
  }

  return {
    async restore(partitions: readonly TopicPartition[]) {
      const numbers = partitions.map((tp) => tp.partition)
      const records = await options.bus.readToEnd(topic(TOPICS.processorState), numbers)
      for (const record of records) {
        if (record.key === null) continue
        if (record.value === null) {
          states.delete(record.key)
          continue
        }
        const decoded = decodeProcessorState(record.value)
        if (!decoded.ok) throw new Error(`processor-state of ${record.key} is unreadable: ${decoded.error}`)
        states.set(record.key, { symbol: record.key, partition: record.partition, state: decoded.value })
      }
    },

    forget(partitions) {
      if (partitions === 'all') return states.clear()
      const lost = new Set(partitions.map((tp) => tp.partition))
      for (const [symbol, entry] of states) if (lost.has(entry.partition)) states.delete(symbol)
    },

    process(records: readonly BusRecord[]): OutgoingRecord[] {
      const outputs: OutgoingRecord[] = []
      const changed = new Set<Entry>()
      for (const record of records) {
        const letter = apply(record, outputs, changed)
        if (letter !== undefined) outputs.push(letter)
      }
      emitChangelog(changed, outputs)
      return outputs
    },

    ...(options.isClosingOnClock === true || options.sessionClose !== undefined
      ? {
          tick(nowMs: number): OutgoingRecord[] {
            const outputs: OutgoingRecord[] = []
            const changed = new Set<Entry>()
            const watermarkMs = nowMs - options.barConfig.allowedLatenessMs
            for (const entry of states.values()) {
              const bars = entry.state.bars
              if (bars.open.length === 0) continue
              if (options.isClosingOnClock === true) {
                const closed = closeDueBars(bars, watermarkMs, options.barConfig)
                if (closed.completed.length > 0) {
                  emitBars(entry.state, closed.completed, outputs)
                  changed.add(entry)
                }
              }
              for (
                let bar = bars.open[0];
                bar !== undefined && isSessionDue(entry.symbol, bar, nowMs);
                bar = bars.open[0]
              ) {
                emitBars(entry.state, closeDueBarsOnAxis(bars, bar.end, options.barConfig).completed, outputs)
                changed.add(entry)
              }
            }
            emitChangelog(changed, outputs)
            return outputs
          },
        }
      : {}),
  }
}
