import { INTERVAL, SIGMA_CELLS } from '../../../core/metrics/interval-sums.ts'
import type { PredictorViews } from '../views/create-views.ts'

/** What `poolIntervalSums` adds up, in this order: the band's sums without the σ markers and years. */
export const POOLED = {
  n: 0,
  sumWinkler80: 1,
  sumWinkler95: 2,
  sumQlike: 3,
  /** Per σ-fifth, calmest first: bars, 80 % hits, 95 % hits. */
  fifths: 4,
} as const
const LENGTH = POOLED.fifths + 3 * SIGMA_CELLS

/**
 * The interval sums of every symbol's latest snapshot added up: the published bands of all symbols
 * as one stream (each symbol's bars in the fifths of its own σ). Snapshots without them add nothing.
 */
export function poolIntervalSums(views: PredictorViews): Float64Array {
  const pooled = new Float64Array(LENGTH)
  for (const symbol of views.symbols()) {
    const sums = views.get(symbol)?.model?.intervals
    if (sums === undefined) continue
    const add = (into: number, from: number): void => {
      pooled[into] = (pooled[into] ?? 0) + (sums[from] ?? 0)
    }
    add(POOLED.n, INTERVAL.n)
    add(POOLED.sumWinkler80, INTERVAL.sumWinkler80)
    add(POOLED.sumWinkler95, INTERVAL.sumWinkler95)
    add(POOLED.sumQlike, INTERVAL.sumQlike)
    for (let i = 0; i < 3 * SIGMA_CELLS; i++) add(POOLED.fifths + i, INTERVAL.fifths + i)
  }
  return pooled
}
