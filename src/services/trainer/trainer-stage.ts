import { decodeMessage, encodeMessage } from '../../core/contracts/decode-message.ts'
import { ok } from '../../core/contracts/result.ts'
import { featureRowSchema } from '../../core/contracts/feature-row.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import { encodeModelSnapshotsOf } from '../../core/training/model-snapshot-codec.ts'
import {
  createTrainerWorkbench,
  packTrainerState,
  type PackedTrainerState,
} from '../../core/training/packed-trainer-state.ts'
import { trainStep } from '../../core/training/train-step.ts'
import type { TrainerOptions } from '../../core/training/trainer-options.ts'
import { fromSnapshot } from '../../core/training/trainer-snapshot.ts'
import { decodeSnapshot } from '../../core/training/upgrade-snapshot.ts'
import type { Bus, BusRecord, OutgoingRecord } from '../../platform/bus/bus.ts'
import { toDeadLetter } from '../../platform/bus/dead-letter.ts'
import { createChangeloggedStore } from '../../platform/stream/changelogged-store.ts'
import type { PartitionedStage } from '../../platform/stream/partitioned-stage.ts'
import { createScoreTally } from './score-tally.ts'
import type { TrainerMetrics } from './trainer-metrics.ts'

export interface TrainerStageOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly trainerOptions: TrainerOptions
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
  // Symbols are kept packed and trained one at a time in the workbench's state.
  const workbench = createTrainerWorkbench(options.trainerOptions)
  // The compacted models topic is the trainer's changelog: the snapshot carries the whole state.
  const states = createChangeloggedStore<PackedTrainerState>({
    bus: options.bus,
    topic: topic(TOPICS.models),
    codec: {
      encodeAll: (packed) => encodeModelSnapshotsOf(packed, workbench.open),
      decode: (bytes) => {
        const snapshot = decodeSnapshot(bytes)
        if (!snapshot.ok) return snapshot
        const state = fromSnapshot(options.trainerOptions, snapshot.value)
        return state.ok ? ok(packTrainerState(state.value)) : state
      },
    },
    service: 'trainer',
    topicPrefix: options.topicPrefix,
    now: options.now,
    onUnreadable: () => options.metrics.unreadableSnapshots.inc(),
  })
  const tally = createScoreTally(options.trainerOptions.models.map((model) => model.id))

  return {
    stores: [states],

    process(records: readonly BusRecord[]): OutgoingRecord[] {
      const outputs: OutgoingRecord[] = []
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
        const packed = states.get(row.symbol)
        if (packed !== undefined && packed.interval !== row.interval) {
          options.metrics.deadLettered.inc()
          const reason = `interval ${row.interval} differs from the ${packed.interval} this symbol is trained on`
          outputs.push(toDeadLetter(record, reason, 'trainer', options.now(), options.topicPrefix))
          continue
        }
        const state =
          packed === undefined ? workbench.openNew(row.symbol, row.interval) : workbench.open(packed)
        tally.before(state)
        const step = trainStep(options.trainerOptions, state, row)
        tally.after(state)
        if (step.isStale) {
          options.metrics.staleRows.inc()
          continue
        }
        // The step changed the working state; a new symbol's state is kept from its first row on.
        states.put(row.symbol, packTrainerState(state, packed), record.partition)
        if (step.prediction !== null) {
          options.metrics.predictions.inc()
          outputs.push({
            topic: topic(TOPICS.predictions),
            key: row.symbol,
            value: encodeMessage(step.prediction),
          })
        }
      }
      tally.flush(options.metrics)
      return outputs
    },
  }
}
