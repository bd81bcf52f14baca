import { err, ok, type Result } from '../contracts/result.ts'
import { quoteForMessage } from './quote-for-message.ts'

export interface OhlcvColumns {
  readonly time: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  /** The adjusted close, when the bars are to be adjusted with it. */
  readonly adjClose?: number
  /** Absent in files without volumes: every bar's volume is then 0. */
  readonly volume?: number
}

const ALIASES = {
  time: ['date', 'datetime', 'timestamp', 'time'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close'],
  adjClose: ['adjclose', 'adjustedclose', 'adj.close'],
  volume: ['volume'],
} as const

const normalise = (cell: string): string => cell.toLowerCase().replace(/[\s_]+/g, '')

/**
 * Where each column is, by name in any case, order or quoting (`"Adj Close"`, `Datetime`); other
 * columns are ignored. `isAdjusted` requires an adjusted-close column and uses it.
 */
export function readOhlcvHeader(
  cells: readonly string[],
  line: string,
  isAdjusted: boolean,
): Result<OhlcvColumns> {
  const names = cells.map(normalise)
  const find = (key: keyof typeof ALIASES): number =>
    names.findIndex((name) => (ALIASES[key] as readonly string[]).includes(name))
  const header = quoteForMessage(line, 120)
  const required: readonly (keyof typeof ALIASES)[] = [
    'time',
    'open',
    'high',
    'low',
    'close',
    ...(isAdjusted ? (['adjClose'] as const) : []),
  ]
  const found: Record<string, number> = {}
  for (const key of required) {
    const index = find(key)
    if (index < 0) {
      const wanted = key === 'time' ? 'date (or datetime, timestamp)' : key === 'adjClose' ? 'adj close' : key
      return err(`no "${wanted}" column in header ${header}`)
    }
    found[key] = index
  }
  const volume = find('volume')
  return ok({
    time: found.time ?? 0,
    open: found.open ?? 0,
    high: found.high ?? 0,
    low: found.low ?? 0,
    close: found.close ?? 0,
    ...(isAdjusted ? { adjClose: found.adjClose ?? 0 } : {}),
    ...(volume < 0 ? {} : { volume }),
  })
}
