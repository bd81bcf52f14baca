import { z } from 'zod'
import type { ModelSpec } from './model-spec.ts'
import { defineStateLayout } from './model-state-layout.ts'

/** The random walk: the next close equals this close, so the predicted log return is always 0. */
export const naiveModel: ModelSpec = {
  id: 'naive',
  kind: 'naive',
  version: 1,
  features: [],
  layout: defineStateLayout([]),
  stateSchema: z.object({}).strict(),
  init: () => undefined,
  predict: () => 0,
  update: () => undefined,
}
