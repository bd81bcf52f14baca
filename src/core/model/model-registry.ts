import { createMedianModel } from './median-model.ts'
import type { ModelSpec } from './model-spec.ts'
import { naiveModel } from './naive-model.ts'
import { createRlsModel } from './rls-model.ts'

/**
 * Long memory and a strong ridge: on daily prices the signal is tiny, so shrinkage matters more
 * than agility (measured on both bundled series: see README.md here).
 */
const rlsDefaults = {
  lambda: 0.9995,
  delta: 1000,
  scaleDecay: 0.99,
  warmupBars: 20,
  clip: 4,
  hasIntercept: true,
  maxTraceRatio: 1e3,
}

/**
 * Every model the trainer runs, naive first: adding a model is adding an entry. Ids are the keys
 * of their state in snapshots; change a model's parameters or state layout and bump its version.
 */
export const MODEL_REGISTRY: readonly ModelSpec[] = [
  naiveModel,
  createRlsModel({ ...rlsDefaults, id: 'rls', features: ['r1', 'closeToSma20', 'volumeZ20'] }),
  createRlsModel({ ...rlsDefaults, id: 'rls-r1', features: ['r1'] }),
  createMedianModel({ id: 'median', step: 0.002, scaleDecay: 0.99, warmupBars: 20 }),
]
