import { describeIssues } from '../contracts/decode-message.ts'
import { MODEL_SNAPSHOT_SCHEMA_VERSION, type ModelSnapshot } from '../contracts/model-snapshot.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { summariseScores } from '../metrics/summarise-scores.ts'
import type { TrainerOptions } from './trainer-options.ts'
import { createModelSlot, trainerStateSchema, type ModelSlot, type TrainerState } from './trainer-state.ts'

/**
 * The models-topic message for a symbol: summarised scores for readers, and the whole state for
 * `fromSnapshot`. Throws when the state has seen no row (there is nothing to publish yet).
 */
export function toSnapshot(state: TrainerState): ModelSnapshot {
  if (state.lastBarStart === null)
    throw new Error(`no row trained for ${state.symbol} yet: nothing to snapshot`)
  return {
    schema: MODEL_SNAPSHOT_SCHEMA_VERSION,
    symbol: state.symbol,
    interval: state.interval,
    version: state.version,
    trainedThrough: state.lastBarStart,
    served: state.served,
    models: state.models.map((slot) => ({
      id: slot.id,
      kind: slot.kind,
      scores: summariseScores(slot.scores),
    })),
    state: { ...state },
  }
}

/**
 * Restores a symbol's state from its snapshot; the exact inverse of `toSnapshot`. A model of the
 * current list whose state is missing or of another kind or version starts afresh (a new model
 * learns from the next row on); a model no longer in the list is dropped. A state that does not
 * validate is an error value naming the field.
 */
export function fromSnapshot(options: TrainerOptions, snapshot: ModelSnapshot): Result<TrainerState> {
  const parsed = trainerStateSchema.safeParse(snapshot.state)
  if (!parsed.success) return err(`snapshot state of ${snapshot.symbol}: ${describeIssues(parsed.error)}`)
  const saved = parsed.data
  if (saved.symbol !== snapshot.symbol || saved.interval !== snapshot.interval) {
    return err(
      `snapshot of ${snapshot.symbol} ${snapshot.interval} holds the state of ${saved.symbol} ${saved.interval}`,
    )
  }
  const models: ModelSlot[] = []
  for (const [index, spec] of options.models.entries()) {
    const slot = saved.models.find((candidate) => candidate.id === spec.id)
    if (slot === undefined || slot.kind !== spec.kind || slot.version !== spec.version) {
      models.push(createModelSlot(options, index))
      continue
    }
    const modelState = spec.stateSchema.safeParse(slot.state)
    if (!modelState.success) return err(`state of model ${spec.id}: ${describeIssues(modelState.error)}`)
    models.push({ ...slot, state: modelState.data })
  }
  const isServedKnown = models.some((slot) => slot.id === saved.served)
  return ok({ ...saved, served: isServedKnown ? saved.served : options.serving.baselineId, models })
}
