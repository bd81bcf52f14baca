import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveTrainerOptions } from '../../src/core/training/trainer-options.ts'
import { createTrainerState } from '../../src/core/training/trainer-state.ts'
import { trainStep } from '../../src/core/training/train-step.ts'
import { featureRowsOf } from '../../src/core/training/feature-rows-of.ts'
import { VARIANCE_SCORE } from '../../src/core/training/trainer-state.ts'
import { loadCsv } from '../../src/platform/market-data/load-csv.ts'
import { BARS_OUT_HEADER } from '../../src/services/evaluate/bars-out-rows.ts'
import { runChild } from '../support/run-child.ts'

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname

/** One bar quotecast published a band for, from `evaluate --bars-out`, with EWMA's variance beside it. */
export interface QuotecastBar {
  readonly barStart: number
  readonly actual: number
  readonly predicted: number
  /** σ the band was drawn with: the served variance model's. */
  readonly sigma: number
  readonly lower80: number
  readonly upper80: number
  readonly lower95: number
  readonly upper95: number
  readonly varianceModel: string
  /** The EWMA variance model's forecast of this bar (the trainer's own, run in process). */
  readonly ewmaVariance: number
  /** The same EWMA with RiskMetrics' daily decay, 0.94 (a trainer of that decay, run in process). */
  readonly riskMetricsVariance: number
}

export interface QuotecastSeries {
  /** Every bar of the file, oldest first. */
  readonly barStarts: readonly number[]
  /** ln(close[t] / close[t-1]); null for the first bar. */
  readonly returns: readonly (number | null)[]
  /** The bars `evaluate` scored, oldest first. */
  readonly scored: readonly QuotecastBar[]
}

/** RiskMetrics' decay for daily returns (J.P. Morgan 1996), the textbook EWMA the issue names. */
const RISKMETRICS_DECAY = 0.94

interface EwmaVariances {
  readonly ewma: number
  readonly riskMetrics: number
  readonly sigma: number
}

/**
 * EWMA's pending variance before each bar the trainer scored, by bar start: the default trainer's
 * (and its σ, to check against `evaluate`) and that of a trainer with RiskMetrics' decay.
 */
function ewmaVariances(rows: ReturnType<typeof featureRowsOf>): Map<number, EwmaVariances> {
  const trainerOptions = resolveTrainerOptions()
  const riskMetricsOptions = resolveTrainerOptions({ volatilityDecay: RISKMETRICS_DECAY })
  const state = createTrainerState(trainerOptions, rows[0]!.symbol, rows[0]!.interval)
  const riskMetricsState = createTrainerState(riskMetricsOptions, rows[0]!.symbol, rows[0]!.interval)
  if (state.variances[0]?.id !== 'ewma' || riskMetricsState.variances[0]?.id !== 'ewma')
    throw new Error('the first variance model is not ewma')
  const byBar = new Map<number, EwmaVariances>()
  for (const row of rows) {
    const ewma = state.variances[0].scores[VARIANCE_SCORE.pending]!
    const riskMetrics = riskMetricsState.variances[0].scores[VARIANCE_SCORE.pending]!
    const sigma = state.pendingSigma
    trainStep(riskMetricsOptions, riskMetricsState, row, false)
    if (trainStep(trainerOptions, state, row, true).scored !== null)
      byBar.set(row.barStart, { ewma, riskMetrics, sigma })
  }
  return byBar
}

/**
 * Runs `quotecast evaluate --csv FILE --bars-out` (the command as a user runs it) and reads the
 * bars it wrote; the returns of every bar come from the same file, checked against the scored ones.
 */
export async function quotecastSeries(url: URL, symbol: string): Promise<QuotecastSeries> {
  const rows = featureRowsOf(await loadCsv(url, { symbol }))
  const returns = rows.map((row, t) => (t === 0 ? null : Math.log(row.close / rows[t - 1]!.close)))
  const byStart = new Map(rows.map((row, t) => [row.barStart, returns[t] ?? null]))
  const ewma = ewmaVariances(rows)
  const dir = mkdtempSync(join(tmpdir(), 'quotecast-bars-out-'))
  try {
    const file = join(dir, 'bars.csv')
    const args = [CLI, 'evaluate', '--csv', url.pathname, '--symbol', symbol, '--bars-out', file]
    await runChild(process.execPath, args, { timeoutMs: 300_000 })
    const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n')
    if (header !== BARS_OUT_HEADER) throw new Error(`--bars-out header changed: ${header ?? ''}`)
    // The rows of the next bar's forecast; the 5- and 20-bar horizons' rows follow theirs.
    const nextBarLines = lines.filter((line) => line.split(',', 2)[1] === '1')
    const scored = nextBarLines.map((line): QuotecastBar => {
      const cells = line.split(',')
      const [barStart, , actual, predicted, sigma, lower80, upper80, lower95, upper95] = cells
      const at = Date.parse(barStart!)
      const own = ewma.get(at)
      const expected = byStart.get(at)
      if (own === undefined || expected == null || Math.abs(expected - Number(actual)) > 1e-12)
        throw new Error(`${symbol} ${barStart!}: --bars-out and the file's bars disagree`)
      if (Math.abs(own.sigma - Number(sigma)) > 1e-12)
        throw new Error(`${symbol} ${barStart!}: the trainer in process and evaluate disagree on σ`)
      return {
        barStart: at,
        actual: Number(actual),
        predicted: Number(predicted),
        sigma: Number(sigma),
        lower80: Number(lower80),
        upper80: Number(upper80),
        lower95: Number(lower95),
        upper95: Number(upper95),
        varianceModel: cells[10]!,
        ewmaVariance: own.ewma,
        riskMetricsVariance: own.riskMetrics,
      }
    })
    return { barStarts: rows.map((row) => row.barStart), returns, scored }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
