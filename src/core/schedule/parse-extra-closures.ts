import { err, ok, type Result } from '../contracts/result.ts'
import { EXCHANGE_IDS, type ExchangeId } from './exchange-calendars.ts'

/** Extra closed local dates (YYYY-MM-DD) per exchange. */
export type ExtraClosures = Readonly<Record<ExchangeId, readonly string[]>>

/**
 * Parses `EXCHANGE:YYYY-MM-DD[,EXCHANGE:YYYY-MM-DD…]`, e.g. `US:2025-01-09,PSE:2025-07-24`, strictly:
 * an unknown exchange, a malformed or impossible date, or an empty entry is an error naming it.
 * Blank text is no closures.
 */
export function parseExtraClosures(text: string): Result<ExtraClosures> {
  const closures: Record<ExchangeId, string[]> = { US: [], PSE: [] }
  if (text.trim() === '') return ok(closures)
  for (const entry of text.split(',').map((part) => part.trim())) {
    const match = /^([A-Z]+):(\d{4}-\d{2}-\d{2})$/.exec(entry)
    const exchange = match?.[1] as ExchangeId | undefined
    const date = match?.[2]
    if (exchange === undefined || date === undefined) {
      return err(`"${entry}" is not EXCHANGE:YYYY-MM-DD (exchanges: ${EXCHANGE_IDS.join(', ')})`)
    }
    if (!EXCHANGE_IDS.includes(exchange)) {
      return err(`"${entry}": unknown exchange ${exchange} (exchanges: ${EXCHANGE_IDS.join(', ')})`)
    }
    const ms = Date.parse(`${date}T00:00:00Z`)
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
      return err(`"${entry}": ${date} is not a real calendar date`)
    }
    closures[exchange].push(date)
  }
  return ok(closures)
}
