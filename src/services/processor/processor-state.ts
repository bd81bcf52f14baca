import { z } from 'zod'
import { barBuilderStateSchema, createBarBuilderState } from '../../core/bars/bar-builder-state.ts'
import { createFeatureState, featureStateSchema } from '../../core/features/feature-state.ts'

export const PROCESSOR_STATE_VERSION = 1

/** One symbol's processor state as written to the compacted `processor-state` changelog. */
export const processorStateSchema = z
  .object({
    schema: z.literal(PROCESSOR_STATE_VERSION),
    symbol: z.string(),
    bars: barBuilderStateSchema,
    features: featureStateSchema,
  })
  .strict()

export type ProcessorState = z.infer<typeof processorStateSchema>

export function createProcessorState(symbol: string): ProcessorState {
  return {
    schema: PROCESSOR_STATE_VERSION,
    symbol,
    bars: createBarBuilderState(symbol),
    features: createFeatureState(),
  }
}
