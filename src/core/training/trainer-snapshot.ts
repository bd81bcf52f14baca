import { describeIssues } from '../contracts/decode-message.ts'
import {
  MODEL_SNAPSHOT_SCHEMA_VERSION,
  modelSnapshotSchema,
  type ModelSnapshot,
} from '../contracts/model-snapshot.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { readInputs } from '../model/model-spec.ts'
import type { TrainerOptions } from './trainer-options.ts'
import { createTrainerState, EWMA_VARIANCE_ID, type TrainerState } from './trainer-state.ts'

type ScoreSumsJson = ModelSnapshot['servedScoreSums']
type BandJson = ModelSnapshot['models'][number]['band']

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value)

/**
 * A symbol's snapshot, what its models-topic value decodes to (`model-snapshot-codec.ts` writes the
 * value from the state directly): its whole state as plain data, sharing nothing with it. Throws
 * when the state has seen no row (there is nothing to publish yet).
 */
export function toSnapshot(state: TrainerState): ModelSnapshot {
  if (Number.isNaN(state.lastBarStart))
    throw new Error(`no row trained for ${state.symbol} yet: nothing to snapshot`)
  const lastInputs: Record<string, number | null> = {}
  for (const slot of state.models) {
    slot.spec.features.forEach((name, i) => {
      const value = slot.inputs[i] ?? Number.NaN
      lastInputs[name] = Number.isFinite(value) ? value : null
    })
  }
  const { volatility } = state
  return {
    schema: MODEL_SNAPSHOT_SCHEMA_VERSION,
    symbol: state.symbol,
    interval: state.interval,
    version: state.version,
    trainedThrough: state.lastBarStart,
    served: state.models[state.served]?.id ?? '',
    lastClose: state.lastClose,
    lastInputs,
    volatility: [volatility.variance, volatility.weight, volatility.count],
    pendingSigma: orNull(state.pendingSigma),
    servedScoreSums: Array.from(state.servedScores) as ScoreSumsJson,
    variance: {
      served: state.variances[state.servedVariance]?.id ?? EWMA_VARIANCE_ID,
      models: state.variances.map((slot) => ({
        id: slot.id,
        version: slot.spec?.version ?? 1,
        numbers: [...Array.from(slot.scores, orNull), ...Array.from(slot.state, orNull)],
      })),
    },
    intervals: Array.from(state.intervalSums, orNull),
    models: state.models.map((slot) => ({
      id: slot.id,
      kind: slot.spec.kind,
      version: slot.spec.version,
      state: slot.spec.copy(slot.state) as Record<string, unknown>,
      band: Array.from(slot.band) as BandJson,
      scoreSums: Array.from(slot.scores) as ScoreSumsJson,
      recentLossDiff: slot.recentLossDiff,
      pending: orNull(slot.pending),
    })),
  }
}

/**
 * Sets the variance slots that the snapshot has by id, version and length; the others (and all of
 * them for a snapshot of an older release) keep their fresh state, and EWMA is then served.
 */
function restoreVariances(state: TrainerState, saved: ModelSnapshot['variance']): void {
  if (saved === undefined) return
  for (const slot of state.variances) {
    const savedSlot = saved.models.find((candidate) => candidate.id === slot.id)
    const version = slot.spec?.version ?? 1
    if (savedSlot?.version !== version) continue
    if (savedSlot.numbers.length !== slot.scores.length + slot.state.length) continue
    savedSlot.numbers.forEach((value, i) => {
      const target = i < slot.scores.length ? slot.scores : slot.state
      target[i < slot.scores.length ? i : i - slot.scores.length] = value ?? Number.NaN
    })
  }
  const served = state.variances.findIndex((slot) => slot.id === saved.served)
  if (served !== -1) state.servedVariance = served
}

/**
 * Restores a symbol's state from its snapshot; the exact inverse of `toSnapshot`, sharing nothing
 * with it. A model of the current list whose state is missing or of another kind or version starts
 * afresh (a new model learns from the next row on); a model no longer in the list is dropped. A
 * snapshot that does not validate is an error value naming the field.
 */
export function fromSnapshot(options: TrainerOptions, snapshot: ModelSnapshot): Result<TrainerState> {
  const parsed = modelSnapshotSchema.safeParse(snapshot)
  if (!parsed.success) return err(`snapshot of ${snapshot.symbol}: ${describeIssues(parsed.error)}`)
  const saved = parsed.data
  const savedSlots = options.models.map((spec) => {
    const savedSlot = saved.models.find((candidate) => candidate.id === spec.id)
    return savedSlot?.kind === spec.kind && savedSlot.version === spec.version ? savedSlot : undefined
  })
  const modelStates: unknown[] = []
  for (const [index, spec] of options.models.entries()) {
    const savedSlot = savedSlots[index]
    if (savedSlot === undefined) {
      modelStates.push(undefined)
      continue
    }
    const modelState = spec.stateSchema.safeParse(savedSlot.state)
    if (!modelState.success) return err(`state of model ${spec.id}: ${describeIssues(modelState.error)}`)
    modelStates.push(spec.copy(modelState.data))
  }
  const state = createTrainerState(options, saved.symbol, saved.interval, modelStates)
  const { models } = state
  for (const [index, slot] of models.entries()) {
    const savedSlot = savedSlots[index]
    if (savedSlot !== undefined) {
      slot.band.set(savedSlot.band)
      slot.scores.set(savedSlot.scoreSums)
      slot.recentLossDiff = savedSlot.recentLossDiff
      slot.pending = savedSlot.pending ?? Number.NaN
    }
    slot.hasInputs = readInputs(saved.lastInputs, slot.spec.features, slot.inputs)
  }
  const served = models.findIndex((slot) => slot.id === saved.served)
  if (served !== -1) state.served = served
  state.version = saved.version
  state.lastBarStart = saved.trainedThrough
  state.lastClose = saved.lastClose
  const [variance, weight, count] = saved.volatility
  Object.assign(state.volatility, { variance, weight, count })
  state.pendingSigma = saved.pendingSigma ?? Number.NaN
  state.servedScores.set(saved.servedScoreSums)
  restoreVariances(state, saved.variance)
  // Sums of another layout (or none, from an older release) leave the interval scores fresh.
  if (saved.intervals?.length === state.intervalSums.length)
    state.intervalSums.set(saved.intervals.map((value) => value ?? Number.NaN))
  return ok(state)
}
