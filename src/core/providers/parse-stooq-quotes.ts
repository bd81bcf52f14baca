import type { Quote } from '../contracts/quote.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { zonedTimeToEpoch } from '../schedule/zoned-time-to-epoch.ts'
import type { HttpReply } from './http-reply.ts'
import { makeQuote } from './make-quote.ts'
import { parseDecimal } from './parse-decimal.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { readStooqCsv } from './read-stooq-csv.ts'

export interface StooqQuotesContext {
  /** Requested symbols by their Stooq names, e.g. { 'aapl.us': 'AAPL', '^spx': '^GSPC' }. */
  readonly symbols: Readonly<Record<string, string>>
  readonly fetchedAt: number
  readonly source?: string
}

const COLUMNS = ['Symbol', 'Date', 'Time', 'Open', 'High', 'Low', 'Close'] as const

/**
 * Current quotes from Stooq's quote CSV (`/q/l/?s=aapl.us+^spx&f=sd2t2ohlcv&h&e=csv`), one outcome per
 * requested symbol. Stooq stamps quotes in Warsaw time and answers `N/D` in every field for a
 * symbol it does not know.
 */
export function parseStooqQuotes(
  reply: HttpReply,
  context: StooqQuotesContext,
): Result<ReadonlyMap<string, Result<Quote, ProviderFailure>>, ProviderFailure> {
  const table = readStooqCsv(reply, context.fetchedAt, COLUMNS)
  if (!table.ok) return err(table.error)
  const { columns, rows } = table.value
  const cell = (cells: readonly string[], name: string): string => cells[columns[name] ?? -1]?.trim() ?? ''
  const outcomes = new Map<string, Result<Quote, ProviderFailure>>()
  for (const { cells } of rows) {
    const symbol = context.symbols[cell(cells, 'Symbol').toLowerCase()]
    if (symbol === undefined) continue
    outcomes.set(
      symbol,
      readRow(symbol, (name) => cell(cells, name), context),
    )
  }
  for (const symbol of Object.values(context.symbols)) {
    if (!outcomes.has(symbol))
      outcomes.set(symbol, err(providerFailure('not-found', 'Stooq: symbol missing from the reply')))
  }
  return ok(outcomes)
}

function readRow(
  symbol: string,
  cell: (name: string) => string,
  context: StooqQuotesContext,
): Result<Quote, ProviderFailure> {
  if (cell('Date') === 'N/D') return err(providerFailure('not-found', 'Stooq: N/D (no such symbol)'))
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell('Date'))
  const time = /^(\d{2}):(\d{2}):(\d{2})$/.exec(cell('Time'))
  if (!date || !time)
    return err(providerFailure('invalid', `Stooq: bad date/time ${cell('Date')} ${cell('Time')}`))
  const numbers: Record<string, number> = {}
  for (const name of ['Open', 'High', 'Low', 'Close']) {
    const parsed = parseDecimal(cell(name))
    if (!parsed.ok) return err(providerFailure('invalid', `Stooq: ${name}: ${parsed.error}`))
    numbers[name] = parsed.value
  }
  const volume = parseDecimal(cell('Volume'))
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = [
    ...date.slice(1),
    ...time.slice(1),
  ].map(Number)
  return ok(
    makeQuote({
      symbol,
      exchange: 'US',
      currency: 'USD',
      kind: 'snapshot',
      price: numbers.Close ?? Number.NaN,
      open: numbers.Open,
      high: numbers.High,
      low: numbers.Low,
      volume: volume.ok ? volume.value : undefined,
      asOf: zonedTimeToEpoch({ year, month, day, hour, minute, second }, 'Europe/Warsaw'),
      fetchedAt: context.fetchedAt,
      source: context.source ?? 'stooq',
    }),
  )
}
