import { median } from './percentile.ts'

/** One line of the results table: quotecast against a reference measured in the same run. */
export interface BenchRow {
  /** The section: 1 pipeline, 2 hot path, 3 API, 4 scale, 5 latency, 6 streams, 7 intervals. */
  readonly section: string
  readonly measure: string
  readonly quotecast: string
  readonly reference: string
  /** quotecast ÷ reference (or the figure the goal is about), e.g. `0.63×`; `—` when none. */
  readonly ratio: string
  readonly goal: string
  readonly verdict: 'met' | 'missed' | 'info'
}

/** What a section measured: its rows, the notes that say how, and the raw figures. */
export interface SectionResult {
  readonly rows: readonly BenchRow[]
  readonly notes: readonly string[]
  readonly figures: Readonly<Record<string, unknown>>
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** 12,345 /s; NaN as `n/a`. */
export const formatRate = (perSecond: number, unit = '/s'): string =>
  Number.isFinite(perSecond) ? `${grouped.format(perSecond)}${unit}` : 'n/a'

export const formatRatio = (ratio: number): string =>
  Number.isFinite(ratio) ? `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×` : 'n/a'

/** `0.85× (0.80–0.91)`: the median of rounds' ratios and their whole spread; `n/a` when none is finite. */
export function formatSpread(ratios: readonly number[]): string {
  const finite = ratios.filter(Number.isFinite)
  if (finite.length === 0) return 'n/a'
  const f = (x: number) => `${x.toFixed(2)}×`
  return `${f(median(finite))} (${f(Math.min(...finite))}–${f(Math.max(...finite))})`
}

export const formatMs = (ms: number): string =>
  Number.isFinite(ms) ? `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms` : 'n/a'

export const formatBytes = (bytes: number): string =>
  Number.isFinite(bytes)
    ? bytes >= 10_240
      ? `${(bytes / 1024).toFixed(0)} KiB`
      : `${grouped.format(bytes)} B`
    : 'n/a'

export const formatPercent = (fraction: number): string =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)} %` : 'n/a'

/**
 * The verdict on a ratio measured in rounds: `met` only when every round's ratio clears the goal
 * (the whole spread, since these machines move one ratio by ±0.25 between runs), `missed` when any
 * round does not, `info` when there is no round or one could not be measured.
 */
export function spreadVerdict(
  ratios: readonly number[],
  clears: (ratio: number) => boolean,
): BenchRow['verdict'] {
  if (ratios.length === 0 || !ratios.every(Number.isFinite)) return 'info'
  return ratios.every(clears) ? 'met' : 'missed'
}

/** `met` when `isMet`, `missed` otherwise, `info` when the figure could not be measured. */
export const verdictOf = (isMet: boolean, isMeasured = true): BenchRow['verdict'] =>
  !isMeasured ? 'info' : isMet ? 'met' : 'missed'
