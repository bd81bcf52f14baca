import { rmSync } from 'node:fs'
import { basename, extname } from 'node:path'
import type { Command } from 'commander'
import { symbol as symbolSchema } from '../../core/contracts/primitives.ts'
import { err, ok, type Result } from '../../core/contracts/result.ts'
import { quoteForMessage } from '../../core/market-data/quote-for-message.ts'
import { resolveCalendars, type ExchangeCalendars } from '../../core/schedule/resolve-calendars.ts'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import type { EvaluationWindow } from '../../core/training/evaluate-series.ts'
import { resolveTrainerOptions } from '../../core/training/trainer-options.ts'
import { barsOutRows, BARS_OUT_HEADER } from './bars-out-rows.ts'
import { createLineSink, type LineSink } from './create-line-sink.ts'
import { evaluateCsv, type CsvEvaluation } from './evaluate-csv.ts'
import { evaluationJson } from './evaluation-json.ts'
import { explainNothingScored } from './explain-nothing-scored.ts'
import { formatEvaluation } from './format-evaluation.ts'

interface EvaluateFlags {
  readonly csv?: string
  readonly symbol?: string
  readonly from?: string
  readonly to?: string
  readonly adjusted?: boolean
  readonly barsOut?: string
  readonly json?: boolean
}

interface EvaluateRequest {
  readonly file: string
  readonly symbol: string
  readonly window: EvaluationWindow
}

const DAY_MS = 86_400_000
const SETTING_NAMES = ['extraClosures'] as const
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
/** Fewer scored bars than about a year of trading days give scores too noisy to tell models apart. */
export const MIN_SCORED_BARS = 250
/** The command's exit codes besides 0. */
export const EXIT = { badInput: 2, nothingScored: 3 } as const

function parseDate(flag: string, value: string | undefined): Result<number | undefined> {
  if (value === undefined) return ok(undefined)
  const match = DATE.exec(value)
  const year = match === null ? 0 : Number(match[1])
  const ms = match === null ? Number.NaN : Date.UTC(year, Number(match[2]) - 1, Number(match[3]))
  const isReal = year >= 1970 && Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value
  return isReal ? ok(ms) : err(`--${flag} ${quoteForMessage(value, 40)} is not a date YYYY-MM-DD from 1970`)
}

function resolveRequest(flags: EvaluateFlags): Result<EvaluateRequest> {
  if (flags.csv === undefined) return err('--csv FILE is required')
  const symbol = flags.symbol ?? basename(flags.csv, extname(flags.csv)).toUpperCase()
  if (!symbolSchema.safeParse(symbol).success) {
    return err(`symbol ${quoteForMessage(symbol, 40)} is not a ticker such as AAPL or ^GSPC: pass --symbol`)
  }
  const from = parseDate('from', flags.from)
  if (!from.ok) return from
  const to = parseDate('to', flags.to)
  if (!to.ok) return to
  if (from.value !== undefined && to.value !== undefined && from.value > to.value)
    return err(`--from ${flags.from ?? ''} is after --to ${flags.to ?? ''}: the range is reversed`)
  const window: { fromMs?: number; toMs?: number } = {}
  if (from.value !== undefined) window.fromMs = from.value
  if (to.value !== undefined) window.toMs = to.value + DAY_MS
  return ok({ file: flags.csv, symbol, window })
}

/** What `evaluate` says on stderr about the file besides its scores. */
function notesOn(evaluation: CsvEvaluation): string[] {
  const { input } = evaluation
  const notes: string[] = []
  if (input.nullRows > 0) {
    const more = input.nullRows > input.nullLines.length ? ', …' : ''
    notes.push(
      `skipped ${String(input.nullRows)} rows of null prices (line ${input.nullLines.join(', ')}${more})`,
    )
  }
  if (input.isNewestFirst) notes.push('the file is newest first: read in reverse')
  if (!input.hasVolume) notes.push('no volume column: volumes taken as 0')
  const n = evaluation.servedStream.n
  if (n > 0 && n < MIN_SCORED_BARS)
    notes.push(
      `warning: only ${String(n)} bars scored, fewer than ${String(MIN_SCORED_BARS)}: the scores are noisy and differences between models are unlikely to be significant`,
    )
  return notes
}

async function runEvaluate(flags: EvaluateFlags, calendars: ExchangeCalendars): Promise<number> {
  const fail = (message: string, code: number): number => {
    process.stderr.write(`quotecast evaluate: ${message}\n`)
    return code
  }
  const request = resolveRequest(flags)
  if (!request.ok) return fail(request.error, EXIT.badInput)
  let sink: LineSink | null = null
  if (flags.barsOut !== undefined) {
    try {
      sink = createLineSink(flags.barsOut)
    } catch (cause) {
      return fail(`--bars-out: cannot write ${flags.barsOut}: ${(cause as Error).message}`, EXIT.badInput)
    }
    sink.write(BARS_OUT_HEADER)
  }
  const trainerOptions = resolveTrainerOptions({ calendars })
  const out = sink
  const evaluation = await evaluateCsv({
    ...request.value,
    isAdjusted: flags.adjusted === true,
    trainerOptions,
    ...(out === null ? {} : { onScored: (bar) => barsOutRows(bar).forEach((line) => out.write(line)) }),
  })
  sink?.close()
  if (!evaluation.ok) {
    // A file that stopped at a bad line would pass for a whole one.
    if (flags.barsOut !== undefined) rmSync(flags.barsOut, { force: true })
    return fail(evaluation.error, EXIT.badInput)
  }
  for (const note of notesOn(evaluation.value)) process.stderr.write(`quotecast evaluate: ${note}\n`)
  if (evaluation.value.servedStream.n === 0) {
    const why = explainNothingScored(evaluation.value, request.value.window, trainerOptions)
    return fail(`nothing could be scored: ${why}`, EXIT.nothingScored)
  }
  process.stdout.write(
    flags.json === true
      ? `${JSON.stringify(evaluationJson(evaluation.value))}\n`
      : `${formatEvaluation(evaluation.value, trainerOptions)}\n`,
  )
  return 0
}

/** `quotecast evaluate`: the models' prequential scores on any OHLCV CSV, no broker. */
export function registerEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description('score the models prequentially on an OHLCV CSV file against the naive forecast, no broker')
    .option(
      '--csv <file>',
      'OHLCV CSV: date (or datetime, timestamp),open,high,low,close[,adj close][,volume]; daily dates, ISO times with offset, or epoch s/ms',
    )
    .option('--symbol <symbol>', 'ticker the series is for (default: the file name, upper-cased)')
    .option(
      '--from <date>',
      'score bars from this date (YYYY-MM-DD); the models still learn from the first bar',
    )
    .option('--to <date>', 'score bars up to this date, inclusive (YYYY-MM-DD)')
    .option('--adjusted', 'use the Adj Close column, scaling open, high and low with it')
    .option(
      '--bars-out <file>',
      'write one CSV row per scored bar and horizon of the published forecast (log returns and bounds)',
    )
    .option('--json', 'print one JSON object instead of the table')
    .action(async (flags: EvaluateFlags) => {
      // The calendars date the forecasts (`forecastFor`): an extra closure moves the next session.
      const config = await resolveSettings(command, SETTING_NAMES)
      process.exitCode = await runEvaluate(flags, resolveCalendars(config.extraClosures))
    })
  addSettingOptions(command, SETTING_NAMES)
}
