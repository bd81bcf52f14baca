import { BAR_SCHEMA_VERSION, type Bar } from '../contracts/bar.ts'
import { INTERVAL_MS, type Interval } from '../contracts/primitives.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { parseOhlcvRow, type OhlcvRow } from './parse-ohlcv-row.ts'
import { quoteForMessage } from './quote-for-message.ts'
import { readOhlcvHeader, type OhlcvColumns } from './read-ohlcv-header.ts'
import { splitCsvLine } from './split-csv-line.ts'

export interface OhlcvCsvOptions {
  readonly symbol: string
  /** Use the adjusted close (`Adj Close`), scaling open, high and low with it. */
  readonly isAdjusted?: boolean
}

/** What was read, and the quirks of the file that were accepted on the way. */
export interface OhlcvCsvReport {
  readonly bars: number
  readonly interval: Interval
  /** Rows of `null` prices skipped, with the first few of their line numbers. */
  readonly nullRows: number
  readonly nullLines: readonly number[]
  readonly isNewestFirst: boolean
  readonly hasVolume: boolean
}

export interface OhlcvCsvReader {
  /** Reads the next line; answers the bars that are complete now, oldest first. */
  line(text: string): Result<readonly Bar[]>
  /** Ends the file: the remaining bars and the report. */
  finish(): Result<{ readonly bars: readonly Bar[]; readonly report: OhlcvCsvReport }>
}

/** Lines longer than this are refused: no price file has them, and they are not kept in memory. */
export const MAX_CSV_LINE_CHARS = 4096
/** Rows read before the interval is decided from the smallest spacing between them. */
const INTERVAL_SAMPLE_ROWS = 32
const NULL_LINES_SHOWN = 5
// A daily series written with times of day may be 23 hours apart across a change of summer time.
const DAILY_MIN_GAP_MS = 20 * 3_600_000

interface Pending {
  readonly row: OhlcvRow
  readonly lineNo: number
}

const atLine = (lineNo: number, error: string): Result<never> => err(`line ${String(lineNo)}: ${error}`)

function intervalOf(rows: readonly Pending[]): Result<Interval> {
  if (rows.every(({ row }) => row.time.isDateOnly)) return ok('1d')
  let min: { gap: number; lineNo: number } | null = null
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1], rows[i]]
    if (a === undefined || b === undefined) continue
    const gap = Math.abs(b.row.time.ms - a.row.time.ms)
    if (min === null || gap < min.gap) min = { gap, lineNo: b.lineNo }
  }
  if (min === null || min.gap >= DAILY_MIN_GAP_MS) return ok('1d')
  const interval = (Object.keys(INTERVAL_MS) as Interval[]).find((key) => INTERVAL_MS[key] === min.gap)
  if (interval !== undefined) return ok(interval)
  return atLine(
    min.lineNo,
    `rows are ${String(min.gap / 60_000)} minutes apart; bars must be 1m, 5m, 15m, 30m, 1h or 1d`,
  )
}

/**
 * An incremental reader of an OHLCV CSV, one line at a time, so a file of any size is read in
 * constant memory when it is oldest first (newest first, the whole file is held until its end).
 * Accepts the quirks of real downloads where one reading is clear: quoted headers, a byte-order
 * mark, Yahoo's `null` rows (skipped and counted), no volume column (0), newest-first order, dates,
 * ISO times with an offset or epoch seconds or milliseconds, at any of the supported intervals
 * (decided from the smallest spacing of the first rows). Anything else fails on its line.
 */
export function createOhlcvCsvReader(options: OhlcvCsvOptions): OhlcvCsvReader {
  let lineNo = 0
  let columns: OhlcvColumns | null = null
  let interval: Interval | null = null
  let isNewestFirst: boolean | null = null
  const pending: Pending[] = []
  const nullLines: number[] = []
  let nullRows = 0
  let barCount = 0
  let previous: Pending | null = null
  let previousStart = Number.NEGATIVE_INFINITY

  const toBar = (entry: Pending, at: Interval): Result<Bar> => {
    const { row } = entry
    const start = at === '1d' ? row.time.dayMs : row.time.ms
    if (previous !== null && start <= previousStart) {
      const what = at === '1d' && start === previousStart ? 'is on the same day as' : 'does not follow'
      return atLine(entry.lineNo, `its time ${what} line ${String(previous.lineNo)}'s`)
    }
    previous = entry
    previousStart = start
    barCount += 1
    const { open, high, low, close, volume } = row
    return ok({
      schema: BAR_SCHEMA_VERSION,
      symbol: options.symbol,
      interval: at,
      start,
      end: start + INTERVAL_MS[at],
      open,
      high,
      low,
      close,
      volume,
      count: 1,
    })
  }

  const drain = (at: Interval): Result<Bar[]> => {
    const ordered = isNewestFirst === true ? pending.reverse() : pending
    const bars: Bar[] = []
    for (const entry of ordered) {
      const bar = toBar(entry, at)
      if (!bar.ok) return bar
      bars.push(bar.value)
    }
    pending.length = 0
    return ok(bars)
  }

  const readRow = (row: OhlcvRow): Result<readonly Bar[]> => {
    const entry = { row, lineNo }
    if (interval !== null) {
      const bar = toBar(entry, interval)
      return bar.ok ? ok([bar.value]) : bar
    }
    const last = pending.at(-1)
    if (last !== undefined) {
      const isBefore = row.time.ms < last.row.time.ms
      if (row.time.ms === last.row.time.ms)
        return atLine(lineNo, `its time is that of line ${String(last.lineNo)}`)
      isNewestFirst ??= isBefore
      if (isBefore !== isNewestFirst)
        return atLine(
          lineNo,
          `its time is ${isBefore ? 'before' : 'after'} line ${String(last.lineNo)}'s, but the file is ${isNewestFirst ? 'newest' : 'oldest'} first`,
        )
    }
    pending.push(entry)
    if (isNewestFirst === true || pending.length < INTERVAL_SAMPLE_ROWS) return ok([])
    const decided = intervalOf(pending)
    if (!decided.ok) return decided
    interval = decided.value
    return drain(interval)
  }

  return {
    line(text) {
      lineNo += 1
      if (text.length > MAX_CSV_LINE_CHARS)
        return atLine(
          lineNo,
          `longer than ${String(MAX_CSV_LINE_CHARS)} characters, starting ${quoteForMessage(text.slice(0, 60))}`,
        )
      const content = lineNo === 1 ? text.replace(/^\uFEFF/, '') : text
      if (content.trim() === '') return ok([])
      const cells = splitCsvLine(content)
      if (!cells.ok) return atLine(lineNo, cells.error)
      if (columns === null) {
        const header = readOhlcvHeader(cells.value, content, options.isAdjusted === true)
        if (!header.ok) return atLine(lineNo, header.error)
        columns = header.value
        return ok([])
      }
      const row = parseOhlcvRow(cells.value, columns)
      if (!row.ok) return atLine(lineNo, row.error)
      if (row.value === null) {
        nullRows += 1
        if (nullLines.length < NULL_LINES_SHOWN) nullLines.push(lineNo)
        return ok([])
      }
      return readRow(row.value)
    },
    finish() {
      if (columns === null) return err('no header line')
      let bars: Bar[] = []
      if (interval === null) {
        const decided = intervalOf(isNewestFirst === true ? [...pending].reverse() : pending)
        if (!decided.ok) return decided
        interval = decided.value
        const drained = drain(interval)
        if (!drained.ok) return drained
        bars = drained.value
      }
      return ok({
        bars,
        report: {
          bars: barCount,
          interval,
          nullRows,
          nullLines,
          isNewestFirst: isNewestFirst === true,
          hasVolume: columns.volume !== undefined,
        },
      })
    },
  }
}
