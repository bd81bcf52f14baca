import type { FeatureRow } from '../../core/contracts/feature-row.ts'
import { err, ok, type Result } from '../../core/contracts/result.ts'
import type { Interval } from '../../core/contracts/primitives.ts'
import type { OhlcvCsvReport } from '../../core/market-data/create-ohlcv-csv-reader.ts'
import { createFeatureState } from '../../core/features/feature-state.ts'
import { nextFeatures } from '../../core/features/next-features.ts'
import {
  createSeriesEvaluator,
  type EvaluationWindow,
  type SeriesEvaluation,
  type SeriesEvaluator,
} from '../../core/training/evaluate-series.ts'
import type { ScoredBar } from '../../core/training/train-step.ts'
import { resolveTrainerOptions, type TrainerOptions } from '../../core/training/trainer-options.ts'
import { isOneBarReturn } from '../../core/training/is-one-bar-return.ts'
import { readOhlcvCsvFile } from '../../platform/market-data/read-ohlcv-csv-file.ts'

export interface EvaluateCsvRequest {
  readonly file: string
  readonly symbol: string
  readonly window: EvaluationWindow
  /** Read the adjusted close (`Adj Close`) instead of the close. */
  readonly isAdjusted?: boolean
  readonly trainerOptions?: TrainerOptions
  /** Called with every bar scored inside the window, in order. */
  readonly onScored?: (bar: ScoredBar) => void
}

export interface CsvEvaluation extends SeriesEvaluation {
  readonly file: string
  readonly interval: Interval
  readonly firstBarStart: number
  readonly lastBarStart: number
  /** Rows after a gap the models do not learn across (`isOneBarReturn`): never scored. */
  readonly rowsAfterLongGap: number
  /** The bar the last forecast is for (the next session after the last bar), if any was made. */
  readonly lastForecastFor: number | null
  readonly input: OhlcvCsvReport
}

/**
 * Streams an OHLCV CSV through the feature core and the training step, bar by bar as the
 * processor and trainer services would, holding no bar: memory does not grow with the file
 * (except for a newest-first file, which the reader holds whole to reverse it). An unreadable or
 * malformed file is an error value naming the file and what is wrong with it.
 */
export async function evaluateCsv(request: EvaluateCsvRequest): Promise<Result<CsvEvaluation>> {
  const trainerOptions = request.trainerOptions ?? resolveTrainerOptions()
  let features = createFeatureState()
  let evaluator: SeriesEvaluator | null = null
  let first: FeatureRow | null = null
  let last: FeatureRow | null = null
  let rowsAfterLongGap = 0
  let lastForecastFor: number | null = null
  const read = await readOhlcvCsvFile(
    request.file,
    { symbol: request.symbol, isAdjusted: request.isAdjusted === true },
    (bar) => {
      const next = nextFeatures(features, bar)
      features = next.state
      const row = next.row
      const previous = last
      if (previous !== null && !isOneBarReturn(trainerOptions, row, previous.barStart)) rowsAfterLongGap += 1
      first ??= row
      last = row
      evaluator ??= createSeriesEvaluator(trainerOptions, row, request.window)
      const { prediction, scored } = evaluator.add(row)
      if (prediction !== null) lastForecastFor = prediction.forBarStart
      if (scored !== null) request.onScored?.(scored)
    },
  )
  if (!read.ok) return err(`${request.file}: ${read.error}`)
  // Assigned in the callback, which TypeScript cannot see.
  const [firstRow, lastRow, done] = [
    first as FeatureRow | null,
    last as FeatureRow | null,
    evaluator as SeriesEvaluator | null,
  ]
  if (firstRow === null || lastRow === null || done === null)
    return err(`${request.file}: no data rows after the header`)
  return ok({
    ...done.result(),
    file: request.file,
    interval: firstRow.interval,
    firstBarStart: firstRow.barStart,
    lastBarStart: lastRow.barStart,
    rowsAfterLongGap,
    lastForecastFor,
    input: read.value,
  })
}
