import type { Quote } from '../contracts/quote.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { dailyBarStart } from './daily-bar-start.ts'
import type { HistoryBatch } from './history-batch.ts'
import type { HttpReply } from './http-reply.ts'
import { makeQuote } from './make-quote.ts'
import { parseDecimal } from './parse-decimal.ts'
import type { ProviderFailure } from './provider-failure.ts'
import { readStooqCsv } from './read-stooq-csv.ts'

export interface StooqBarsContext {
  readonly symbol: string
  readonly fetchedAt: number
  readonly source?: string
}

const PRICE_COLUMNS = ['Open', 'High', 'Low', 'Close'] as const

/**
 * Daily bars from Stooq's historical CSV (`/q/d/l/?s=aapl.us&i=d`): `Date,Open,High,Low,Close[,Volume]`.
 * A row with the wrong number of cells (an unquoted "1,000.00") or an unreadable number is rejected
 * with its line; the others are kept.
 */
export function parseStooqBars(
  reply: HttpReply,
  context: StooqBarsContext,
): Result<HistoryBatch, ProviderFailure> {
  const table = readStooqCsv(reply, context.fetchedAt, ['Date', ...PRICE_COLUMNS])
  if (!table.ok) return err(table.error)
  const { columns, rows } = table.value
  const width = Object.keys(columns).length
  const quotes: Quote[] = []
  const rejected: string[] = []
  for (const { line, cells } of rows) {
    if (cells.length !== width) {
      rejected.push(`line ${line}: ${cells.length} cells, expected ${width}`)
      continue
    }
    const date = cells[columns.Date ?? 0] ?? ''
    const [open, high, low, close] = PRICE_COLUMNS.map((name) => parseDecimal(cells[columns[name] ?? -1]))
    const volume = columns.Volume === undefined ? undefined : parseDecimal(cells[columns.Volume])
    const problem = [open, high, low, close, volume]
      .map((cell) => (cell?.ok === false ? cell.error : undefined))
      .find(Boolean)
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      problem !== undefined ||
      !open?.ok ||
      !high?.ok ||
      !low?.ok ||
      !close?.ok
    ) {
      rejected.push(`line ${line}: ${problem ?? `bad date ${JSON.stringify(date)}`}`)
      continue
    }
    quotes.push(
      makeQuote({
        symbol: context.symbol,
        exchange: 'US',
        currency: 'USD',
        kind: 'bar',
        interval: '1d',
        price: close.value,
        open: open.value,
        high: high.value,
        low: low.value,
        volume: volume?.ok === true ? volume.value : undefined,
        asOf: dailyBarStart(date),
        fetchedAt: context.fetchedAt,
        source: context.source ?? 'stooq',
      }),
    )
  }
  return ok({ quotes, rejected })
}
