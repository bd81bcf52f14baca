import { MAX_BAR_VOLUME, MAX_PRICE, MIN_PRICE } from '../contracts/primitives.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { parseCsvTime, type CsvTime } from './parse-csv-time.ts'
import { parseDecimal } from './parse-decimal.ts'
import { quoteForMessage } from './quote-for-message.ts'
import type { OhlcvColumns } from './read-ohlcv-header.ts'

export interface OhlcvRow {
  readonly time: CsvTime
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
}

const PRICES = ['open', 'high', 'low', 'close'] as const
const exponent = (x: number): string => x.toExponential().replace('e+', 'e')

function bounded(name: string, value: number): Result<number> {
  if (value < MIN_PRICE) return err(`${name} ${String(value)} is below MIN_PRICE (${exponent(MIN_PRICE)})`)
  if (value > MAX_PRICE) return err(`${name} ${String(value)} is above MAX_PRICE (${exponent(MAX_PRICE)})`)
  return ok(value)
}

function price(name: string, text: string): Result<number> {
  const value = parseDecimal(text)
  if (Number.isNaN(value)) return err(`${name} ${quoteForMessage(text, 40)} is not a plain decimal number`)
  return bounded(name, value)
}

/**
 * One data row's bar fields, checked: a real time, plain decimal prices within the contract's
 * bounds, and a high and low that hold the open and the close. A Yahoo row of `null` prices (a
 * holiday or a suspended day) is `null`, to be skipped. With an adjusted-close column, open, high
 * and low are scaled by adjusted / raw close, so that the bar stays consistent.
 */
export function parseOhlcvRow(cells: readonly string[], columns: OhlcvColumns): Result<OhlcvRow | null> {
  const cell = (index: number | undefined): string => (index === undefined ? '' : (cells[index] ?? ''))
  const priceColumns = [columns.open, columns.high, columns.low, columns.close, columns.adjClose]
  if (priceColumns.some((index) => index !== undefined && cell(index).toLowerCase() === 'null'))
    return ok(null)
  const time = parseCsvTime(cell(columns.time))
  if (!time.ok) return time
  const values: Record<(typeof PRICES)[number], number> = { open: 0, high: 0, low: 0, close: 0 }
  for (const name of PRICES) {
    const value = price(name, cell(columns[name]))
    if (!value.ok) return value
    values[name] = value.value
  }
  if (columns.adjClose !== undefined) {
    const adjusted = price('adj close', cell(columns.adjClose))
    if (!adjusted.ok) return adjusted
    const factor = adjusted.value / values.close
    for (const name of PRICES) {
      const scaled = bounded(`adjusted ${name}`, name === 'close' ? adjusted.value : values[name] * factor)
      if (!scaled.ok) return scaled
      values[name] = scaled.value
    }
  }
  const { open, high, low, close } = values
  if (high < low) return err(`high ${String(high)} is below low ${String(low)}`)
  for (const [name, value] of [
    ['open', open],
    ['close', close],
  ] as const) {
    if (value > high) return err(`${name} ${String(value)} is above high ${String(high)}`)
    if (value < low) return err(`${name} ${String(value)} is below low ${String(low)}`)
  }
  let volume = 0
  if (columns.volume !== undefined) {
    const text = cell(columns.volume)
    volume = parseDecimal(text)
    if (Number.isNaN(volume)) return err(`volume ${quoteForMessage(text, 40)} is not a plain decimal number`)
    if (volume > MAX_BAR_VOLUME)
      return err(`volume ${text} is above MAX_BAR_VOLUME (${exponent(MAX_BAR_VOLUME)})`)
  }
  return ok({ time: time.value, open, high, low, close, volume })
}
