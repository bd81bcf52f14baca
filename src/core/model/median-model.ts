import { z } from 'zod'
import type { ModelSpec } from './model-spec.ts'
import { defineStateLayout } from './model-state-layout.ts'
import { withoutNegativeZero } from './without-negative-zero.ts'

export interface MedianModelOptions {
  readonly id: string
  /** Step of the median tracker, in units of the return RMS. */
  readonly step: number
  /** Decay of the exponentially weighted mean square that sets the step's scale. */
  readonly scaleDecay: number
  readonly warmupBars: number
}

const medianLayout = defineStateLayout(['median', 'meanSquare', 'weight', 'count'])
const M = medianLayout.at

const medianStateSchema = z
  .object({
    median: z.number(),
    meanSquare: z.number().nonnegative(),
    weight: z.number().nonnegative(),
    count: z.number().int().nonnegative(),
  })
  .strict()

/**
 * A streaming median of the log return (stochastic gradient on absolute loss): the forecast
 * that minimises mean absolute error when returns are unpredictable but skewed. It learns the
 * drift the naive forecast ignores, and nothing else; the step scales with the return RMS so
 * the tracker moves as fast in calm markets as in volatile ones.
 */
export function createMedianModel(options: MedianModelOptions): ModelSpec {
  return {
    id: options.id,
    kind: 'median',
    version: 1,
    features: [],
    layout: medianLayout,
    stateSchema: medianStateSchema,
    init(s) {
      s.fill(0)
    },
    predict: (s) => (s[M.count]! >= options.warmupBars ? s[M.median]! : Number.NaN),
    update(s, _x, y) {
      if (!Number.isFinite(y)) return
      const median = s[M.median]!
      const meanSquare = s[M.meanSquare]!
      const count = s[M.count]!
      const scale = Math.sqrt(meanSquare)
      const move = count >= options.warmupBars ? options.step * scale * Math.sign(y - median) : 0
      const weight = options.scaleDecay * s[M.weight]! + 1
      s[M.median] = withoutNegativeZero(median + move)
      s[M.meanSquare] = meanSquare + (y * y - meanSquare) / weight
      s[M.weight] = weight
      s[M.count] = count + 1
    },
  }
}
