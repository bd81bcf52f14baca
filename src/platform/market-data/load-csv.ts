import { readFile } from 'node:fs/promises'
import type { Bar } from '../../core/contracts/bar.ts'
import { parseOhlcvCsv, type OhlcvCsvOptions } from '../../core/market-data/parse-ohlcv-csv.ts'

/** The real daily series shipped in `data/`, with where each came from. */
export const BUNDLED_CSV = {
  /** S&P 500 index, 2000-01-03 → 2020-04-17, from vega-datasets@3.2.1 (BSD-3-Clause). */
  sp500: { url: new URL('../../../data/sp500.csv', import.meta.url), symbol: '^GSPC' },
  /** AAPL, 2013-05-13 → 2018-05-11, split-adjusted, from @observablehq/sample-datasets@1.0.1 (ISC). */
  aapl: { url: new URL('../../../data/aapl.csv', import.meta.url), symbol: 'AAPL' },
} as const

/**
 * Reads a daily OHLCV CSV file into 1d bars. I/O failures reject as they are; a malformed file
 * rejects with an error naming the file and the bad line.
 */
export async function loadCsv(file: string | URL, options: OhlcvCsvOptions): Promise<Bar[]> {
  const parsed = parseOhlcvCsv(await readFile(file, 'utf8'), options)
  if (!parsed.ok) throw new Error(`${String(file)}: ${parsed.error}`)
  return parsed.value
}
