import type { Bar } from '../contracts/bar.ts'
import { ok, type Result } from '../contracts/result.ts'
import { createOhlcvCsvReader, type OhlcvCsvOptions } from './create-ohlcv-csv-reader.ts'

export type { OhlcvCsvOptions } from './create-ohlcv-csv-reader.ts'

/**
 * Parses a whole OHLCV CSV text (header `date,open,high,low,close[,adj close][,volume]`, any case,
 * quoting and column order; extra columns ignored) into bars, oldest first, as
 * `createOhlcvCsvReader` reads it line by line: daily bars start at 00:00 UTC of their date. Lines
 * end with LF, CRLF or CR. Fails on the first bad line, naming it.
 */
export function parseOhlcvCsv(text: string, options: OhlcvCsvOptions): Result<Bar[]> {
  const reader = createOhlcvCsvReader(options)
  const bars: Bar[] = []
  for (const line of text.split(/\r\n|\r|\n/)) {
    const read = reader.line(line)
    if (!read.ok) return read
    bars.push(...read.value)
  }
  const end = reader.finish()
  if (!end.ok) return end
  bars.push(...end.value.bars)
  return ok(bars)
}
