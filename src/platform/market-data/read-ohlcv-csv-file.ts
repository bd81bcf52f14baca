import { createReadStream } from 'node:fs'
import type { Bar } from '../../core/contracts/bar.ts'
import { err, type Result } from '../../core/contracts/result.ts'
import {
  createOhlcvCsvReader,
  MAX_CSV_LINE_CHARS,
  type OhlcvCsvOptions,
  type OhlcvCsvReport,
} from '../../core/market-data/create-ohlcv-csv-reader.ts'
import { readCsvLines } from './read-csv-lines.ts'

/**
 * Streams an OHLCV CSV file through `createOhlcvCsvReader`, handing each bar to `onBar` oldest
 * first as soon as it is complete, so an oldest-first file of any size is read in constant memory.
 * An unreadable file or a bad line is an error value (naming the line; the caller names the file).
 */
export async function readOhlcvCsvFile(
  file: string | URL,
  options: OhlcvCsvOptions,
  onBar: (bar: Bar) => void,
): Promise<Result<OhlcvCsvReport>> {
  const reader = createOhlcvCsvReader(options)
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })
  try {
    for await (const line of readCsvLines(stream, MAX_CSV_LINE_CHARS)) {
      const bars = reader.line(line)
      if (!bars.ok) return bars
      for (const bar of bars.value) onBar(bar)
    }
  } catch (cause) {
    return err(`cannot read: ${(cause as Error).message}`)
  } finally {
    stream.destroy()
  }
  const end = reader.finish()
  if (!end.ok) return end
  for (const bar of end.value.bars) onBar(bar)
  return { ok: true, value: end.value.report }
}
