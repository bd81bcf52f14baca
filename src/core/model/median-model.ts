import { z } from 'zod'
import type { ModelSpec } from './model-spec.ts'
import { withoutNegativeZero } from './without-negative-zero.ts'

export interface MedianModelOptions {
  readonly id: string
  /** Step of the median tracker, in units of the return RMS. */
  readonly step: number
  /** Decay of the exponentially weighted mean square that sets the step's scale. */
  readonly scaleDecay: number
  readonly warmupBars: number
}

// The keys in another order than the state's (see `stateSchema` in model-spec.ts).
const medianStateSchema = z
  .object({
    count: z.number().int().nonnegative(),
    median: z.number(),
    meanSquare: z.number().nonnegative(),
    weight: z.number().nonnegative(),
  })
  .strict()

type MedianState = z.infer<typeof medianStateSchema>

/**
 * A streaming median of the log return (stochastic gradient on absolute loss): the forecast
 * that minimises mean absolute error when returns are unpredictable but skewed. It learns the
 * drift the naive forecast ignores, and nothing else; the step scales with the return RMS so
 * the tracker moves as fast in calm markets as in volatile ones.
 */
export function createMedianModel(options: MedianModelOptions): ModelSpec<MedianState> {
  const copy = (state: MedianState): MedianState => ({
    median: state.median,
    meanSquare: state.meanSquare,
    weight: state.weight,
    count: state.count,
  })
  return {
    id: options.id,
    kind: 'median',
    version: 1,
    features: [],
    stateSchema: medianStateSchema,
    init: () => copy({ median: 0, meanSquare: 0, weight: 0, count: 0 }),
    copy,
    predict: (state) => (state.count >= options.warmupBars ? state.median : Number.NaN),
    update(state, _x, y) {
      if (!Number.isFinite(y)) return
      const scale = Math.sqrt(state.meanSquare)
      const move = state.count >= options.warmupBars ? options.step * scale * Math.sign(y - state.median) : 0
      const weight = options.scaleDecay * state.weight + 1
      state.median = withoutNegativeZero(state.median + move)
      state.meanSquare = state.meanSquare + (y * y - state.meanSquare) / weight
      state.weight = weight
      state.count += 1
    },
  }
}
