import { BAR_SCHEMA_VERSION, type Bar } from '../contracts/bar.ts'
import { INTERVAL_MS } from '../contracts/primitives.ts'
import { err, ok, type Result } from '../contracts/result.ts'

export interface OhlcvCsvOptions {
  readonly symbol: string
}

const DAY_MS = INTERVAL_MS['1d']
const REQUIRED = ['date', 'open', 'high', 'low', 'close', 'volume'] as const
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Parses a daily OHLCV CSV (header `date,open,high,low,close[,adj close],volume`, any case and
 * column order; extra columns are ignored) into 1d bars, oldest first, each starting at 00:00 UTC
 * of its trading date as every daily bar does. The raw close is used, not
 * the adjusted one, so that open, high, low and close stay consistent. Fails on the first bad
 * line, naming it: a bundled file is either whole or broken.
 */
export function parseOhlcvCsv(text: string, options: OhlcvCsvOptions): Result<Bar[]> {
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',').map((name) => name.trim().toLowerCase().replace(/\s+/g, ''))
  const column: Partial<Record<(typeof REQUIRED)[number], number>> = {}
  for (const name of REQUIRED) {
    const index = header.indexOf(name)
    if (index < 0) return err(`line 1: no "${name}" column in header "${lines[0] ?? ''}"`)
    column[name] = index
  }
  const bars: Bar[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.trim() === '') continue
    const cells = line.split(',')
    const cell = (name: (typeof REQUIRED)[number]): string => (cells[column[name] ?? -1] ?? '').trim()
    const date = DATE.exec(cell('date'))
    if (date === null) return err(`line ${i + 1}: date "${cell('date')}" is not YYYY-MM-DD`)
    const start = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))
    const values = { open: 0, high: 0, low: 0, close: 0, volume: 0 }
    for (const name of ['open', 'high', 'low', 'close', 'volume'] as const) {
      const value = Number(cell(name))
      const isValid =
        cell(name) !== '' && Number.isFinite(value) && (name === 'volume' ? value >= 0 : value > 0)
      if (!isValid)
        return err(
          `line ${i + 1}: ${name} "${cell(name)}" is not a ${name === 'volume' ? 'non-negative' : 'positive'} number`,
        )
      values[name] = value
    }
    if (values.high < values.low) return err(`line ${i + 1}: high ${values.high} is below low ${values.low}`)
    const previous = bars.at(-1)
    if (previous !== undefined && start <= previous.start) {
      return err(`line ${i + 1}: date ${cell('date')} does not follow the previous row's`)
    }
    bars.push({
      schema: BAR_SCHEMA_VERSION,
      symbol: options.symbol,
      interval: '1d',
      start,
      end: start + DAY_MS,
      ...values,
      count: 1,
    })
  }
  return ok(bars)
}
