import { z } from 'zod'
import { barBuilderStateSchema, createBarBuilderState } from '../../core/bars/bar-builder-state.ts'
import {
  createFeatureState,
  featureStateSchema,
  type FeatureState,
} from '../../core/features/feature-state.ts'

export const PROCESSOR_STATE_VERSION = 1

/** One symbol's processor state as written to the compacted `processor-state` changelog, in JSON form. */
export const processorStateSchema = z
  .object({
    schema: z.literal(PROCESSOR_STATE_VERSION),
    symbol: z.string(),
    bars: barBuilderStateSchema,
    features: featureStateSchema,
  })
  .strict()

export type ProcessorStateJson = z.infer<typeof processorStateSchema>

/**
 * One symbol's processor state as the stage keeps it: the JSON form with the feature state in its
 * in-place form. `applyQuote` and `nextFeatures` change it; the changelog codec copies it.
 */
export interface ProcessorState extends Omit<ProcessorStateJson, 'features'> {
  readonly features: FeatureState
}

export function createProcessorState(symbol: string): ProcessorState {
  return {
    schema: PROCESSOR_STATE_VERSION,
    symbol,
    bars: createBarBuilderState(symbol),
    features: createFeatureState(),
  }
}
