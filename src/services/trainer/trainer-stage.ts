import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { featureRowSchema } from '../../core/contracts/feature-row.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import type { SymbolTrainer } from '../../core/training/create-symbol-trainer.ts'
import { encodeModelSnapshots } from '../../core/training/model-snapshot-codec.ts'
import { decodeSnapshot } from '../../core/training/upgrade-snapshot.ts'
import type { TrainerState } from '../../core/training/trainer-state.ts'
import type { Bus, BusRecord, OutgoingRecord, TopicPartition } from '../../platform/bus/bus.ts'
import { toDeadLetter } from '../../platform/bus/dead-letter.ts'
import type { PartitionedStage } from '../../platform/stream/run-partitioned-loop.ts'
import { createScoreTally } from './score-tally.ts'
import type { TrainerMetrics } from './trainer-metrics.ts'

export interface TrainerStageOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly trainer: SymbolTrainer
  readonly metrics: TrainerMetrics
  readonly now: () => number
}

/**
 * Features → predictions for the symbols of the assigned partitions. Each row scores the previous
 * prediction, updates every model and predicts the next bar; each batch ends with the latest
 * snapshot of every symbol it changed, which is also what a restart restores from.
 */
export function createTrainerStage(options: TrainerStageOptions): PartitionedStage {
  const topic = (name: string): string => options.topicPrefix + name
  const states = new Map<string, { partition: number; state: TrainerState }>()
  const tally = createScoreTally(options.trainer.options.models.map((model) => model.id))

  return {
    async restore(partitions: readonly TopicPartition[]) {
      const records = await options.bus.readToEnd(
        topic(TOPICS.models),
        partitions.map((tp) => tp.partition),
      )
      for (const record of records) {
        if (record.key === null || record.value === null) continue
        const snapshot = decodeSnapshot(record.value)
        const state = snapshot.ok ? options.trainer.fromSnapshot(snapshot.value) : snapshot
        if (!state.ok) throw new Error(`model snapshot of ${record.key} is unreadable: ${state.error}`)
        states.set(record.key, { partition: record.partition, state: state.value })
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
        options.metrics.rows.inc()
        const decoded = decodeMessage(featureRowSchema, record.value)
        if (!decoded.ok || record.key !== decoded.value.symbol) {
          const reason = decoded.ok
            ? `key ${JSON.stringify(record.key)} is not the row's symbol`
            : decoded.error
          options.metrics.deadLettered.inc()
          outputs.push(toDeadLetter(record, reason, 'trainer', options.now(), options.topicPrefix))
          continue
        }
        const row = decoded.value
        const entry = states.get(row.symbol) ?? {
          partition: record.partition,
          state: options.trainer.init(row.symbol, row.interval),
        }
        if (entry.state.interval !== row.interval) {
          options.metrics.deadLettered.inc()
          const reason = `interval ${row.interval} differs from the ${entry.state.interval} this symbol is trained on`
          outputs.push(toDeadLetter(record, reason, 'trainer', options.now(), options.topicPrefix))
          continue
        }
        tally.before(entry.state)
        const step = options.trainer.step(entry.state, row)
        tally.after(entry.state)
        if (step.isStale) {
          options.metrics.staleRows.inc()
          continue
        }
        // The step changed the state in place; a new symbol's entry is kept from its first row on.
        states.set(row.symbol, entry)
        changed.add(row.symbol)
        if (step.prediction !== null) {
          options.metrics.predictions.inc()
          outputs.push({
            topic: topic(TOPICS.predictions),
            key: row.symbol,
            value: encodeMessage(step.prediction),
          })
        }
      }
      const symbols = [...changed]
      const changedStates = symbols.map((symbol) => states.get(symbol)!.state)
      const values = encodeModelSnapshots(changedStates)
      for (const [index, symbol] of symbols.entries()) {
        outputs.push({ topic: topic(TOPICS.models), key: symbol, value: values[index]! })
      }
      tally.flush(options.metrics)
      return outputs
    },
  }
}
