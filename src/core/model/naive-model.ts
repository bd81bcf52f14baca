import { z } from 'zod'
import type { ModelSpec } from './model-spec.ts'

const naiveStateSchema = z.object({}).strict()

type NaiveState = z.infer<typeof naiveStateSchema>

/** The random walk: the next close equals this close, so the predicted log return is always 0. */
export const naiveModel: ModelSpec<NaiveState> = {
  id: 'naive',
  kind: 'naive',
  version: 1,
  features: [],
  stateSchema: naiveStateSchema,
  init: () => ({}),
  copy: () => ({}),
  predict: () => 0,
  update: () => undefined,
}
