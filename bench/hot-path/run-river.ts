import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureVenv } from '../support/ensure-venv.ts'
import { runChild } from '../support/run-child.ts'

const REQUIREMENTS = new URL('../river/requirements.txt', import.meta.url).pathname
const SCRIPT = new URL('../river/river_bench.py', import.meta.url).pathname

export interface RiverSeries {
  readonly symbol: string
  /** Feature values after each bar (null while any is undefined). */
  readonly x: readonly (readonly number[] | null)[]
  /** ln(close[t] / close[t-1]); null for the first bar. */
  readonly returns: readonly (number | null)[]
}

export interface RiverJob {
  readonly features: readonly string[]
  readonly timingSymbol: string
  readonly timingRounds: number
  readonly series: readonly RiverSeries[]
}

/** [point, lo80, hi80, lo95, hi95] of returns[t], made after bar t-1; null when River had none. */
export type RiverForecast = readonly [number, number, number, number, number] | null

export interface RiverModelResult {
  readonly id: string
  readonly description: string
  /** Timed for the default configuration only (SGD 0.01, whole-history intervals); null otherwise. */
  readonly stepsPerSecond: number | null
  readonly series: readonly { readonly symbol: string; readonly forecasts: readonly RiverForecast[] }[]
}

export interface RiverResult {
  readonly river: string
  readonly python: string
  readonly models: readonly RiverModelResult[]
  /** The regressor alone (predict_one + learn_one per bar), to compare one model with one model. */
  readonly bareLinearRegression: { readonly description: string; readonly stepsPerSecond: number }
}

/** The venv with the pinned River (bench/river/requirements.txt). */
export const ensureRiverVenv = (): Promise<string> => ensureVenv('river-venv', REQUIREMENTS)

/**
 * Runs bench/river/river_bench.py on `job` in the River venv: forecasts of every model of its grid
 * and the speed of the default ones, or with `isTimingOnly` the speeds alone.
 */
export async function runRiver(job: RiverJob, isTimingOnly = false): Promise<RiverResult> {
  const python = await ensureRiverVenv()
  const dir = mkdtempSync(join(tmpdir(), 'quotecast-river-'))
  try {
    const input = join(dir, 'input.json')
    writeFileSync(input, JSON.stringify(job))
    const args = [SCRIPT, input, ...(isTimingOnly ? ['--timing-only'] : [])]
    const { stdout } = await runChild(python, args, { timeoutMs: 600_000 })
    return JSON.parse(stdout) as RiverResult
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
