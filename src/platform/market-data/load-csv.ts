import type { Bar } from '../../core/contracts/bar.ts'
import type { OhlcvCsvOptions } from '../../core/market-data/create-ohlcv-csv-reader.ts'
import { readOhlcvCsvFile } from './read-ohlcv-csv-file.ts'

/** The real daily series shipped in `data/`, with where each came from. */
export const BUNDLED_CSV = {
  /** S&P 500 index, 2000-01-03 → 2020-04-17, from vega-datasets@3.2.1 (BSD-3-Clause). */
  sp500: { url: new URL('../../../data/sp500.csv', import.meta.url), symbol: '^GSPC' },
  /** AAPL, 2013-05-13 → 2018-05-11, split-adjusted, from @observablehq/sample-datasets@1.0.1 (ISC). */
  aapl: { url: new URL('../../../data/aapl.csv', import.meta.url), symbol: 'AAPL' },
} as const

/**
 * Reads an OHLCV CSV file into bars, oldest first. An unreadable or malformed file rejects with
 * an error naming the file and, for a bad line, the line.
 */
export async function loadCsv(file: string | URL, options: OhlcvCsvOptions): Promise<Bar[]> {
  const bars: Bar[] = []
  const read = await readOhlcvCsvFile(file, options, (bar) => bars.push(bar))
  if (!read.ok) throw new Error(`${String(file)}: ${read.error}`)
  return bars
}
