import { err, ok, type Result } from '../contracts/result.ts'
import { classifyHttpStatus } from './classify-http-status.ts'
import type { HttpReply } from './http-reply.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { summarizeBody } from './summarize-body.ts'

export interface StooqTable {
  /** Column index by name, e.g. { Date: 0, Open: 1, … }. */
  readonly columns: Readonly<Record<string, number>>
  /** Data rows split on commas, with their 1-based line numbers. */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[]
}

/**
 * A Stooq CSV download as a table, or why there is none: Stooq answers 200 with the plain text
 * "No data" for an unknown symbol or an empty range, "Exceeded the daily hits limit" once the day's
 * quota is used, and its web server's HTML pages when something else is wrong.
 */
export function readStooqCsv(
  reply: HttpReply,
  nowMs: number,
  requiredColumns: readonly string[],
): Result<StooqTable, ProviderFailure> {
  const byStatus = classifyHttpStatus(reply, nowMs)
  if (byStatus) return err(byStatus)
  const text = reply.body.trim()
  if (/^no data$/i.test(text)) return err(providerFailure('not-found', 'Stooq: No data'))
  if (/exceeded the daily hits limit/i.test(text))
    return err(providerFailure('quota', `Stooq: ${text.slice(0, 100)}`))
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',').map((name) => name.trim())
  const columns: Record<string, number> = {}
  for (const [index, name] of header.entries()) columns[name] = index
  const missing = requiredColumns.filter((name) => !(name in columns))
  if (missing.length > 0) {
    return err(
      providerFailure(
        'invalid',
        `not a Stooq CSV (no ${missing.join(', ')} column): ${summarizeBody(reply.body)}`,
      ),
    )
  }
  const rows = lines
    .slice(1)
    .flatMap((line, index) => (line.trim() === '' ? [] : [{ line: index + 2, cells: line.split(',') }]))
  return ok({ columns, rows })
}
