import type { Bar } from '../contracts/bar.ts'
import type { FeatureRow } from '../contracts/feature-row.ts'
import { createFeatureState } from '../features/feature-state.ts'
import { nextFeatures } from '../features/next-features.ts'

/** The feature core's rows for one symbol's bars, oldest first: what the processor would publish. */
export function featureRowsOf(bars: readonly Bar[]): FeatureRow[] {
  let state = createFeatureState()
  return bars.map((bar) => {
    const next = nextFeatures(state, bar)
    state = next.state
    return next.row
  })
}
