import { basename, extname } from 'node:path'
import type { Command } from 'commander'
import { symbol as symbolSchema } from '../../core/contracts/primitives.ts'
import { err, ok, type Result } from '../../core/contracts/result.ts'
import { resolveCalendars } from '../../core/schedule/resolve-calendars.ts'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import { createSymbolTrainer } from '../../core/training/create-symbol-trainer.ts'
import type { EvaluationWindow } from '../../core/training/evaluate-series.ts'
import { evaluateCsv } from './evaluate-csv.ts'
import { evaluationJson } from './evaluation-json.ts'
import { formatEvaluation } from './format-evaluation.ts'

interface EvaluateFlags {
  readonly csv?: string
  readonly symbol?: string
  readonly from?: string
  readonly to?: string
  readonly json?: boolean
}

const DAY_MS = 86_400_000
const SETTING_NAMES = ['extraClosures'] as const
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function parseDate(flag: string, value: string | undefined): Result<number | undefined> {
  if (value === undefined) return ok(undefined)
  const match = DATE.exec(value)
  const ms = match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  const isReal = Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value
  return isReal ? ok(ms) : err(`--${flag} "${value}" is not a date YYYY-MM-DD`)
}

function resolveRequest(
  flags: EvaluateFlags,
): Result<{ file: string; symbol: string; window: EvaluationWindow }> {
  if (flags.csv === undefined) return err('--csv FILE is required')
  const symbol = flags.symbol ?? basename(flags.csv, extname(flags.csv)).toUpperCase()
  if (!symbolSchema.safeParse(symbol).success) {
    return err(`symbol "${symbol}" is not a ticker such as AAPL or ^GSPC: pass --symbol`)
  }
  const from = parseDate('from', flags.from)
  if (!from.ok) return from
  const to = parseDate('to', flags.to)
  if (!to.ok) return to
  const window: { fromMs?: number; toMs?: number } = {}
  if (from.value !== undefined) window.fromMs = from.value
  if (to.value !== undefined) window.toMs = to.value + DAY_MS
  return ok({ file: flags.csv, symbol, window })
}

/** `quotecast evaluate`: the models' prequential scores on any daily OHLCV CSV, no broker. */
export function registerEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description('score the models prequentially on an OHLCV CSV file against the naive forecast, no broker')
    .option('--csv <file>', 'daily OHLCV CSV: date,open,high,low,close[,adj close],volume')
    .option('--symbol <symbol>', 'ticker the series is for (default: the file name, upper-cased)')
    .option(
      '--from <date>',
      'score bars from this date (YYYY-MM-DD); the models still learn from the first bar',
    )
    .option('--to <date>', 'score bars up to this date, inclusive (YYYY-MM-DD)')
    .option('--json', 'print one JSON object instead of the table')
    .action(async (flags: EvaluateFlags) => {
      // The calendars date the forecasts (`forecastFor`): an extra closure moves the next session.
      const config = resolveSettings(command, SETTING_NAMES)
      const request = resolveRequest(flags)
      const trainer = createSymbolTrainer({ calendars: resolveCalendars(config.extraClosures) })
      const evaluation = request.ok ? await evaluateCsv({ ...request.value, trainer }) : request
      if (!evaluation.ok) {
        process.stderr.write(`quotecast evaluate: ${evaluation.error}\n`)
        process.exitCode = 2
        return
      }
      process.stdout.write(
        flags.json === true
          ? `${JSON.stringify(evaluationJson(evaluation.value))}\n`
          : `${formatEvaluation(evaluation.value, trainer.options)}\n`,
      )
    })
  addSettingOptions(command, SETTING_NAMES)
}
