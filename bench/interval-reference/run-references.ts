import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureVenv } from '../support/ensure-venv.ts'
import { runChild } from '../support/run-child.ts'

const REQUIREMENTS = new URL('requirements.txt', import.meta.url).pathname
const SCRIPT = new URL('interval_reference.py', import.meta.url).pathname

export interface ReferenceJob {
  /** Returns before GARCH's first fit. */
  readonly firstFit: number
  readonly refitEvery: number
  /** River's residual-quantile windows; null for the whole history. */
  readonly riverWindows: readonly (number | null)[]
  /** returns[t] = ln(close[t] / close[t-1]), null for the first bar. */
  readonly series: readonly { readonly symbol: string; readonly returns: readonly (number | null)[] }[]
}

/** [mu, sigma, lo80, hi80, lo95, hi95] of returns[t], from returns[:t]. */
export type GarchForecast = readonly [number, number, number, number, number, number] | null
/** [pred, lo80, hi80, lo95, hi95] of returns[t], from returns[:t]. */
export type RiverForecast = readonly [number, number, number, number, number] | null

export interface GarchFit {
  /** The bar whose forecast the fit was made for (fitted on the returns before it). */
  readonly at: number
  readonly mu: number
  readonly omega: number
  readonly alpha: number
  readonly beta: number
  readonly nu: number
  /** scipy's convergence flag: 0 converged. */
  readonly flag: number
}

export interface ReferenceResult {
  readonly arch: string
  readonly river: string
  readonly python: string
  readonly series: readonly {
    readonly symbol: string
    readonly garch: readonly GarchForecast[]
    /** One list per window of `riverWindows`. */
    readonly river: readonly (readonly RiverForecast[])[]
    readonly fits: readonly GarchFit[]
  }[]
}

/** Runs bench/interval-reference/interval_reference.py on `job` in its pinned venv. */
export async function runReferences(job: ReferenceJob): Promise<ReferenceResult> {
  const python = await ensureVenv('interval-reference-venv', REQUIREMENTS)
  const dir = mkdtempSync(join(tmpdir(), 'quotecast-intervals-'))
  try {
    const input = join(dir, 'input.json')
    writeFileSync(input, JSON.stringify(job))
    const { stdout } = await runChild(python, [SCRIPT, input], { timeoutMs: 900_000 })
    return JSON.parse(stdout) as ReferenceResult
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
