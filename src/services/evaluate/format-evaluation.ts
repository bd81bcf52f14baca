import type { ModelScores } from '../../core/contracts/model-snapshot.ts'
import type { TrainerOptions } from '../../core/training/trainer-options.ts'
import type { CsvEvaluation } from './evaluate-csv.ts'
import { formatInstant } from './format-instant.ts'
import { exchangeOfSymbol } from '../../core/providers/exchange-of-symbol.ts'
import {
  formatHorizonScores,
  formatIntervalScores,
  formatTimeOfDayCoverage,
} from './format-interval-scores.ts'

const DASH = '—'
const percent = (x: number | null, digits: number): string =>
  x === null ? DASH : `${(100 * x).toFixed(digits)}%`
const fixed = (x: number | null, digits: number): string => (x === null ? DASH : x.toFixed(digits))

function direction(scores: ModelScores): string {
  if (scores.direction === null || scores.directionCi === null) return DASH
  const [low, high] = scores.directionCi
  return `${percent(scores.direction, 1)} [${(100 * low).toFixed(1)}, ${(100 * high).toFixed(1)}]`
}

const HEADER = [
  'model',
  'n',
  'MAE',
  'RMSE',
  'MASE',
  'DM',
  'direction [95% CI]',
  'cov80',
  'cov95',
  'width80',
  'width95',
  'served',
]

function cells(name: string, scores: ModelScores, servedShare: number | null): string[] {
  return [
    name,
    String(scores.n),
    percent(scores.mae, 3),
    percent(scores.rmse, 3),
    fixed(scores.mase, 4),
    fixed(scores.dm, 2),
    direction(scores),
    percent(scores.coverage80, 1),
    percent(scores.coverage95, 1),
    percent(scores.width80, 2),
    percent(scores.width95, 2),
    servedShare === null ? '' : percent(servedShare, 1),
  ]
}

/** The scores table `quotecast evaluate` prints, with one line on how to read it. */
export function formatEvaluation(evaluation: CsvEvaluation, options: TrainerOptions): string {
  const rows = [
    HEADER,
    ...evaluation.models.map((m) => cells(m.model, m, m.servedShare)),
    cells('(published)', evaluation.servedStream, null),
  ]
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)))
  const table = rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  )
  const { serving } = options
  const date = (ms: number | null): string => (ms === null ? DASH : formatInstant(ms, evaluation.interval))
  return [
    `${evaluation.symbol}: ${evaluation.rows} ${evaluation.interval} bars ${date(evaluation.firstBarStart)} → ${date(evaluation.lastBarStart)} from ${evaluation.file}`,
    `scored ${evaluation.servedStream.n} bars ${date(evaluation.firstScoredBarStart)} → ${date(evaluation.lastScoredBarStart)}, predict then learn, every model trained from the first bar`,
    '',
    ...table,
    '',
    ...formatIntervalScores(evaluation.intervals),
    '',
    ...formatHorizonScores(evaluation.horizons),
    '',
    ...formatTimeOfDayCoverage(
      evaluation.byTimeOfDay,
      options.calendars[exchangeOfSymbol(evaluation.symbol)].timeZone,
    ),
    'Errors are of one-bar log returns. MASE = MAE / naive MAE on the same bars. DM = Diebold–Mariano on absolute',
    'error against naive (negative: lower error; |DM| > 1.96: significant at 5 %). Direction counts bars where both',
    'forecast and outcome moved. Widths are ln(upper / lower). "served" is the share of bars each model was published.',
    'The band: interval score = mean of width + (2/α)·distance outside (α = 0.2, 0.05; lower is better); QLIKE of',
    'σ² = mean of r²/σ² − ln(r²/σ²) − 1 (0 is perfect); σ-fifths split at running quintiles of σ (P²); years in UTC.',
    'h bars ahead: the one-bar forecast then no drift, σ of the sum from the served variance model, each horizon',
    'calibrated by its own conformal band as its outcomes arrive. Intraday, σ follows a time-of-day profile: each hour',
    "of the exchange's clock, and each session's open, learns its own σ against the day's average.",
    `Serves ${evaluation.served} next: naive unless a model beats it with DM ≤ ${serving.maxDm} over at least ${serving.minScoredBars} scored bars and is ahead recently.`,
  ].join('\n')
}
