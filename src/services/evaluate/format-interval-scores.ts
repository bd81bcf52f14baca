import type { HorizonScores, IntervalScores } from '../../core/contracts/interval-scores.ts'
import type { TimeOfDayCoverage } from '../../core/training/evaluate-series.ts'

const DASH = '—'
const percent = (x: number | null | undefined, digits: number): string =>
  x === null || x === undefined ? DASH : `${(100 * x).toFixed(digits)}%`

/** Rows as columns: the first left-aligned, the others right-aligned. */
function aligned(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)))
  return rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  )
}

const FIFTH_NAMES = ['1 calmest', '2', '3', '4', '5 most volatile']

/** The σ range of fifth `k` between the running quintiles. */
function sigmaRange(quintiles: readonly number[], k: number): string {
  const low = quintiles[k - 1]
  const high = quintiles[k]
  if (quintiles.length === 0) return DASH
  if (low === undefined) return `σ ≤ ${percent(high, 2)}`
  if (high === undefined) return `σ > ${percent(low, 2)}`
  return `${percent(low, 2)} – ${percent(high, 2)}`
}

/**
 * The section of `quotecast evaluate` that judges the published band: its interval (Winkler)
 * scores and QLIKE, then coverage per σ-fifth and per calendar year.
 */
export function formatIntervalScores(scores: IntervalScores): string[] {
  const fifths = aligned([
    ['σ-fifth', 'σ', 'n', 'cov80', 'cov95'],
    ...scores.fifths.map((fifth, k) => [
      FIFTH_NAMES[k] ?? String(k + 1),
      sigmaRange(scores.sigmaQuintiles, k),
      String(fifth.n),
      percent(fifth.coverage80, 1),
      percent(fifth.coverage95, 1),
    ]),
  ])
  const years = aligned([
    ['year', 'n', 'cov80', 'cov95'],
    ...scores.years.map((year) => [
      String(year.year),
      String(year.n),
      percent(year.coverage80, 1),
      percent(year.coverage95, 1),
    ]),
  ])
  const qlike = scores.qlike === null ? DASH : scores.qlike.toFixed(4)
  return [
    `published band, ${String(scores.n)} bars: interval score ${percent(scores.winkler80, 3)} (80 %), ${percent(scores.winkler95, 3)} (95 %); QLIKE ${qlike}`,
    '',
    ...fifths,
    '',
    ...years,
  ]
}

/** The section on the published 5- and 20-bar intervals: coverage and interval scores per horizon. */
export function formatHorizonScores(scores: readonly HorizonScores[]): string[] {
  return [
    'published intervals for the close h bars ahead (the sum of h log returns; consecutive windows overlap):',
    '',
    ...aligned([
      ['horizon', 'n', 'cov80', 'cov95', 'score80', 'score95'],
      ...scores.map((horizon) => [
        `${String(horizon.horizon)} bars`,
        String(horizon.n),
        percent(horizon.coverage80, 1),
        percent(horizon.coverage95, 1),
        percent(horizon.winkler80, 3),
        percent(horizon.winkler95, 3),
      ]),
    ]),
  ]
}

/** Intraday: the published band's coverage by slot of the day (nothing for daily bars). */
export function formatTimeOfDayCoverage(bySlot: readonly TimeOfDayCoverage[], timeZone: string): string[] {
  if (bySlot.length === 0) return []
  return [
    `coverage of the published band by time of day (${timeZone}; a bar counts in the hour it starts in, a bar`,
    "that starts at a session's open, whose return spans the night or the break, under that open):",
    '',
    ...aligned([
      ['slot', 'n', 'cov80', 'cov95'],
      ...bySlot.map((slot) => [
        slot.slot,
        String(slot.n),
        percent(slot.coverage80, 1),
        percent(slot.coverage95, 1),
      ]),
    ]),
    '',
  ]
}
