import { BAR_SCHEMA_VERSION, type Bar } from '../contracts/bar.ts'
import type { FeatureRow } from '../contracts/feature-row.ts'
import { featureRowsOf } from './feature-rows-of.ts'

const DAY_MS = 86_400_000

/** Daily bars on consecutive days from closes, with a volume that varies so its z-score is defined. */
export function syntheticBars(
  closes: readonly number[],
  symbol = 'TEST',
  startMs = Date.UTC(2020, 0, 1),
): Bar[] {
  return closes.map((close, t) => {
    const open = closes[t - 1] ?? close
    return {
      schema: BAR_SCHEMA_VERSION,
      symbol,
      interval: '1d',
      start: startMs + t * DAY_MS,
      end: startMs + (t + 1) * DAY_MS,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: Math.round(1e6 * (1 + 0.5 * Math.sin(t * 0.9))),
      count: 1,
    }
  })
}

/**
 * Feature rows, computed by the real feature core, of a synthetic daily series given by its
 * closes: for tests and benchmarks that need a series with known properties.
 */
export function syntheticFeatureRows(
  closes: readonly number[],
  symbol = 'TEST',
  startMs = Date.UTC(2020, 0, 1),
): FeatureRow[] {
  return featureRowsOf(syntheticBars(closes, symbol, startMs))
}
