import type { EvaluationWindow } from '../../core/training/evaluate-series.ts'
import type { TrainerOptions } from '../../core/training/trainer-options.ts'
import type { CsvEvaluation } from './evaluate-csv.ts'
import { formatInstant } from './format-instant.ts'

// `--to D` ends the window at the end of day D.
const DAY_MS = 86_400_000

/** Why an evaluation scored no bar, in one sentence a user can act on. */
export function explainNothingScored(
  evaluation: CsvEvaluation,
  window: EvaluationWindow,
  options: TrainerOptions,
): string {
  const { interval, rows, rowsAfterLongGap } = evaluation
  const at = (ms: number): string => formatInstant(ms, interval)
  if (window.fromMs !== undefined && window.fromMs > evaluation.lastBarStart)
    return `--from ${at(window.fromMs)} is after the last bar (${at(evaluation.lastBarStart)})`
  if (window.toMs !== undefined && window.toMs <= evaluation.firstBarStart)
    return `--to ${at(window.toMs - DAY_MS)} is before the first bar (${at(evaluation.firstBarStart)})`
  const maxGap = options.maxGapBars[interval]
  if (rows > 1 && rowsAfterLongGap >= (rows - 1) / 2)
    return (
      `${String(rowsAfterLongGap)} of ${String(rows - 1)} bars follow a gap of more than ${String(maxGap)} ${interval} bars, across which the models do not learn: ` +
      `weekly or monthly data cannot be scored; evaluate needs daily or intraday bars`
    )
  const needed = options.warmupBars + 2
  if (rows < needed)
    return `only ${String(rows)} bars: the models need ${String(needed)} consecutive bars before a first forecast is scored`
  return `no forecast fell inside the window: the bars run ${at(evaluation.firstBarStart)} → ${at(evaluation.lastBarStart)}`
}
