import { readFile } from 'node:fs/promises'
import { err, ok, type Result } from '../../core/contracts/result.ts'
import { parseOhlcvCsv } from '../../core/market-data/parse-ohlcv-csv.ts'
import { createSymbolTrainer, type SymbolTrainer } from '../../core/training/create-symbol-trainer.ts'
import {
  evaluateSeries,
  type EvaluationWindow,
  type SeriesEvaluation,
} from '../../core/training/evaluate-series.ts'
import { featureRowsOf } from '../../core/training/feature-rows-of.ts'

export interface EvaluateCsvRequest {
  readonly file: string
  readonly symbol: string
  readonly window: EvaluationWindow
  readonly trainer?: SymbolTrainer
}

export interface CsvEvaluation extends SeriesEvaluation {
  readonly file: string
  readonly firstBarStart: number
  readonly lastBarStart: number
}

/**
 * Reads a daily OHLCV CSV, computes its features with the feature core and runs the training
 * step over them, as the trainer service would. An unreadable or malformed file is an error value
 * naming the file and what is wrong with it.
 */
export async function evaluateCsv(request: EvaluateCsvRequest): Promise<Result<CsvEvaluation>> {
  let text: string
  try {
    text = await readFile(request.file, 'utf8')
  } catch (cause) {
    return err(`cannot read ${request.file}: ${(cause as Error).message}`)
  }
  const parsed = parseOhlcvCsv(text, { symbol: request.symbol })
  if (!parsed.ok) return err(`${request.file}: ${parsed.error}`)
  const bars = parsed.value
  const first = bars[0]
  const last = bars.at(-1)
  if (first === undefined || last === undefined) return err(`${request.file}: no data rows after the header`)
  const evaluation = evaluateSeries(
    request.trainer ?? createSymbolTrainer(),
    featureRowsOf(bars),
    request.window,
  )
  return ok({ ...evaluation, file: request.file, firstBarStart: first.start, lastBarStart: last.start })
}
