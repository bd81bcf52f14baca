import { applyQuote } from '../../core/bars/apply-quote.ts'
import type { BarConfig } from '../../core/bars/resolve-bar-config.ts'
import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema } from '../../core/contracts/quote.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import type { Bus, BusRecord, OutgoingRecord, TopicPartition } from '../../platform/bus/bus.ts'
import { toDeadLetter } from '../../platform/bus/dead-letter.ts'
import type { PartitionedStage } from '../../platform/stream/run-partitioned-loop.ts'
import type { ProcessorMetrics } from './processor-metrics.ts'
import { createProcessorState, processorStateSchema, type ProcessorState } from './processor-state.ts'

export interface ProcessorStageOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly barConfig: BarConfig
  readonly metrics: ProcessorMetrics
  readonly now: () => number
}

/**
 * Quotes → bars → features for the symbols of the assigned partitions. Each batch returns the
 * bars, feature rows and dead letters it produced plus the changed symbols' state for the
 * changelog, so that all of it commits with the consumed offsets.
 */
export function createProcessorStage(options: ProcessorStageOptions): PartitionedStage {
  const topic = (name: string): string => options.topicPrefix + name
  const states = new Map<string, { partition: number; state: ProcessorState }>()

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
        const decoded = decodeMessage(processorStateSchema, record.value)
        if (!decoded.ok) throw new Error(`processor-state of ${record.key} is unreadable: ${decoded.error}`)
        states.set(record.key, { partition: record.partition, state: decoded.value })
      }
    },

    forget(partitions) {
      if (partitions === 'all') return states.clear()
      const lost = new Set(partitions.map((tp) => tp.partition))
      for (const [symbol, entry] of states) if (lost.has(entry.partition)) states.delete(symbol)
    },

    process(records: readonly BusRecord[]): OutgoingRecord[] {
      const outputs: OutgoingRecord[] = []
      const changed = new Set<string>()
      for (const record of records) {
        options.metrics.processed.inc()
        const decoded = decodeMessage(quoteSchema, record.value)
        if (!decoded.ok) {
          options.metrics.deadLettered.inc({ reason: 'invalid' })
          outputs.push(toDeadLetter(record, decoded.error, 'processor', options.now(), options.topicPrefix))
          continue
        }
        const quote = decoded.value
        if (record.key !== quote.symbol) {
          options.metrics.deadLettered.inc({ reason: 'invalid' })
          const reason = `key ${JSON.stringify(record.key)} is not the quote's symbol ${quote.symbol}`
          outputs.push(toDeadLetter(record, reason, 'processor', options.now(), options.topicPrefix))
          continue
        }
        const entry = states.get(quote.symbol) ?? {
          partition: record.partition,
          state: createProcessorState(quote.symbol),
        }
        const applied = applyQuote(entry.state.bars, quote, options.barConfig)
        if (applied.rejected !== null) {
          options.metrics.deadLettered.inc({ reason: applied.rejected.kind })
          const reason = `${applied.rejected.kind}: ${applied.rejected.reason}`
          outputs.push(toDeadLetter(record, reason, 'processor', options.now(), options.topicPrefix))
          continue
        }
        let features = entry.state.features
        for (const bar of applied.completed) {
          const next = nextFeatures(features, bar)
          features = next.state
          outputs.push({ topic: topic(TOPICS.bars), key: bar.symbol, value: encodeMessage(bar) })
          outputs.push({ topic: topic(TOPICS.features), key: bar.symbol, value: encodeMessage(next.row) })
          options.metrics.bars.inc()
        }
        states.set(quote.symbol, {
          partition: record.partition,
          state: { ...entry.state, bars: applied.state, features },
        })
        changed.add(quote.symbol)
      }
      for (const symbol of changed) {
        const entry = states.get(symbol)
        if (entry)
          outputs.push({
            topic: topic(TOPICS.processorState),
            key: symbol,
            value: encodeMessage(entry.state),
          })
      }
      return outputs
    },
  }
}
