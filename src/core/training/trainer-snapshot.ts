import { describeIssues } from '../contracts/decode-message.ts'
import {
  MODEL_SNAPSHOT_SCHEMA_VERSION,
  modelSnapshotSchema,
  type ModelSnapshot,
} from '../contracts/model-snapshot.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { readInputs } from '../model/model-spec.ts'
import { modelStateFromJson, modelStateToJson } from '../model/model-state-json.ts'
import type { TrainerOptions } from './trainer-options.ts'
import { createTrainerState, EWMA_VARIANCE_ID, type TrainerState } from './trainer-state.ts'

type SavedModel = ModelSnapshot['models'][number]
type ScoreSumsJson = ModelSnapshot['servedScoreSums']
type BandJson = SavedModel['band']
type VolatilityJson = ModelSnapshot['volatility']

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
  return {
    schema: MODEL_SNAPSHOT_SCHEMA_VERSION,
    symbol: state.symbol,
    interval: state.interval,
    version: state.version,
    trainedThrough: state.lastBarStart,
    served: state.models[state.served]?.id ?? '',
    lastClose: state.lastClose,
    lastInputs,
    volatility: Array.from(state.volatility) as VolatilityJson,
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
    horizons: Array.from(state.horizons, orNull),
    timeOfDay: Array.from(state.timeOfDay, orNull),
    models: state.models.map((slot) => ({
      id: slot.id,
      kind: slot.spec.kind,
      version: slot.spec.version,
      state: modelStateToJson(slot.spec.layout, slot.state),
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
  const restored: ({ saved: SavedModel; numbers: Float64Array } | undefined)[] = []
  for (const spec of options.models) {
    const savedModel = saved.models.find((candidate) => candidate.id === spec.id)
    if (savedModel?.kind !== spec.kind || savedModel.version !== spec.version) {
      restored.push(undefined)
      continue
    }
    const json = spec.stateSchema.safeParse(savedModel.state)
    if (!json.success) return err(`state of model ${spec.id}: ${describeIssues(json.error)}`)
    const numbers = modelStateFromJson(spec.layout, json.data)
    if (!numbers.ok) return err(`state of model ${spec.id}: ${numbers.error}`)
    restored.push({ saved: savedModel, numbers: numbers.value })
  }
  const state = createTrainerState(options, saved.symbol, saved.interval)
  const { models } = state
  for (const [index, slot] of models.entries()) {
    const model = restored[index]
    if (model !== undefined) {
      slot.state.set(model.numbers)
      slot.band.set(model.saved.band)
      slot.scores.set(model.saved.scoreSums)
      slot.recentLossDiff = model.saved.recentLossDiff
      slot.pending = model.saved.pending ?? Number.NaN
    }
    slot.hasInputs = readInputs(saved.lastInputs, slot.spec.features, slot.inputs)
  }
  const served = models.findIndex((slot) => slot.id === saved.served)
  if (served !== -1) state.served = served
  state.version = saved.version
  state.lastBarStart = saved.trainedThrough
  state.lastClose = saved.lastClose
  state.volatility.set(saved.volatility)
  state.pendingSigma = saved.pendingSigma ?? Number.NaN
  state.servedScores.set(saved.servedScoreSums)
  restoreVariances(state, saved.variance)
  // Sums of another layout (or none, from an older release) leave the interval scores fresh.
  if (saved.intervals?.length === state.intervalSums.length)
    state.intervalSums.set(saved.intervals.map((value) => value ?? Number.NaN))
  // Likewise the horizons (their forecasts in flight and bands start afresh) and the time-of-day profile.
  if (saved.horizons?.length === state.horizons.length)
    state.horizons.set(saved.horizons.map((value) => value ?? Number.NaN))
  if (saved.timeOfDay?.length === state.timeOfDay.length)
    state.timeOfDay.set(saved.timeOfDay.map((value) => value ?? Number.NaN))
  return ok(state)
}
