import type { HorizonScores, IntervalScores } from '../../core/contracts/interval-scores.ts'
import type { ModelScores } from '../../core/contracts/model-snapshot.ts'
import type { ModelEvaluation, TimeOfDayCoverage } from '../../core/training/evaluate-series.ts'
import type { Interval } from '../../core/contracts/primitives.ts'
import type { OhlcvCsvReport } from '../../core/market-data/create-ohlcv-csv-reader.ts'
import type { CsvEvaluation } from './evaluate-csv.ts'
import { formatInstant } from './format-instant.ts'

export interface EvaluationJson {
  readonly symbol: string
  readonly file: string
  readonly interval: Interval
  readonly bars: number
  readonly firstBar: string
  readonly lastBar: string
  /** The scored window: bars whose forecast was scored, with the first and last of them. */
  readonly scored: { readonly n: number; readonly from: string | null; readonly to: string | null }
  /** The model the trainer would serve for the bar after the last one. */
  readonly served: string
  /** The session the last bar's forecast is for (the next trading day on the calendar), if any. */
  readonly forecastFor: string | null
  /** One entry per model: the contract's scores (coverages as fractions), plus its share of published bars. */
  readonly models: readonly ModelEvaluation[]
  /** Scores of what was published bar by bar, whichever model it came from. */
  readonly published: ModelScores
  /**
   * The published band judged on the same bars: Winkler scores at 80 and 95 % and QLIKE of its σ²
   * (log-return units), coverage per fifth of σ (calmest first) and per calendar year (UTC).
   */
  readonly intervals: IntervalScores
  /** The published intervals for the close 5 and 20 bars ahead, scored as their outcomes arrived. */
  readonly horizons: readonly HorizonScores[]
  /**
   * Intraday: coverage of the published band by slot of the day ("open 1" for bars that start at
   * the first session's open, then each hour of the exchange's clock); empty for daily bars.
   */
  readonly byTimeOfDay: readonly TimeOfDayCoverage[]
  /** How the file was read: rows of null prices skipped, order, whether it had volumes. */
  readonly input: Omit<OhlcvCsvReport, 'bars' | 'interval'>
}

/** The one JSON object `quotecast evaluate --json` prints. */
export function evaluationJson(evaluation: CsvEvaluation): EvaluationJson {
  const day = (ms: number): string => formatInstant(ms, evaluation.interval)
  const { bars: _bars, interval: _interval, ...input } = evaluation.input
  return {
    symbol: evaluation.symbol,
    file: evaluation.file,
    interval: evaluation.interval,
    bars: evaluation.rows,
    firstBar: day(evaluation.firstBarStart),
    lastBar: day(evaluation.lastBarStart),
    scored: {
      n: evaluation.servedStream.n,
      from: evaluation.firstScoredBarStart === null ? null : day(evaluation.firstScoredBarStart),
      to: evaluation.lastScoredBarStart === null ? null : day(evaluation.lastScoredBarStart),
    },
    served: evaluation.served,
    forecastFor: evaluation.lastForecastFor === null ? null : day(evaluation.lastForecastFor),
    models: evaluation.models,
    published: evaluation.servedStream,
    intervals: evaluation.intervals,
    horizons: evaluation.horizons,
    byTimeOfDay: evaluation.byTimeOfDay,
    input,
  }
}
