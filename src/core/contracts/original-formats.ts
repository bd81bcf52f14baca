import { makeQuote } from '../providers/make-quote.ts'
import { parseDecimal } from '../providers/parse-decimal.ts'
import { validateMessage } from './decode-message.ts'
import { quoteSchema, type Quote } from './quote.ts'
import { err, ok, type Result } from './result.ts'

/** When and by whom an original-format payload was fetched. */
export interface OriginalFormatContext {
  readonly fetchedAt: number
  readonly source?: string
}

/** One entry of a phisix reply: its symbol as sent, and the Quote it makes or why it makes none. */
export interface PhisixOutcome {
  readonly symbol: string
  readonly quote: Result<Quote>
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The original project's phisix JSON (`{"stock":[{"symbol":"ALI","price":{"currency":"PHP","amount":23.5},
 * "volume":13724300,…}],"as_of":"2022-10-14T14:50:00+08:00"}`), one outcome per entry so that one bad
 * entry does not spoil the others. `as_of` must carry its UTC offset. Never throws.
 */
export function parsePhisixStocks(
  value: unknown,
  context: OriginalFormatContext,
): Result<readonly PhisixOutcome[]> {
  if (!isRecord(value) || !Array.isArray(value.stock)) return err('phisix: no "stock" array')
  const asOfText = value.as_of
  if (typeof asOfText !== 'string' || !ISO_WITH_OFFSET.test(asOfText)) {
    return err(`phisix: "as_of" must be an ISO 8601 time with an offset, got ${JSON.stringify(asOfText)}`)
  }
  const asOf = Date.parse(asOfText)
  if (Number.isNaN(asOf)) return err(`phisix: "as_of" is not a real instant: ${asOfText}`)
  return ok(value.stock.map((entry: unknown) => readPhisixEntry(entry, asOf, context)))
}

function readPhisixEntry(entry: unknown, asOf: number, context: OriginalFormatContext): PhisixOutcome {
  const symbol = isRecord(entry) && typeof entry.symbol === 'string' ? entry.symbol : '?'
  if (!isRecord(entry) || !isRecord(entry.price))
    return { symbol, quote: err(`phisix ${symbol}: no "price" object`) }
  const amount = parseDecimal(entry.price.amount)
  if (!amount.ok) return { symbol, quote: err(`phisix ${symbol}: price.amount: ${amount.error}`) }
  const volume = entry.volume === undefined || entry.volume === null ? undefined : parseDecimal(entry.volume)
  if (volume?.ok === false) return { symbol, quote: err(`phisix ${symbol}: volume: ${volume.error}`) }
  const candidate = makeQuote({
    symbol,
    exchange: 'PSE',
    currency: typeof entry.price.currency === 'string' ? entry.price.currency : 'PHP',
    kind: 'snapshot',
    price: amount.value,
    volume: volume?.value,
    asOf,
    fetchedAt: context.fetchedAt,
    source: context.source ?? 'phisix',
  })
  const quote = validateMessage(quoteSchema, candidate)
  return { symbol, quote: quote.ok ? quote : err(`phisix ${symbol}: ${quote.error}`) }
}

/**
 * The original PSE EDGE scraper's strings (`{"stock":"JFC","close":"1,000.00","open":…,"high":…,
 * "low":…,"volume":…}`). The page carries no time, so the fetch time is the event time. Empty or
 * absent open/high/low/volume are left out; a value that is present must be a number. Never throws.
 */
export function parseEdgeQuote(value: unknown, context: OriginalFormatContext): Result<Quote> {
  if (!isRecord(value) || typeof value.stock !== 'string') return err('pse edge: no "stock" name')
  const symbol = value.stock
  const numbers: Partial<Record<'close' | 'open' | 'high' | 'low' | 'volume', number>> = {}
  for (const field of ['close', 'open', 'high', 'low', 'volume'] as const) {
    const raw = value[field]
    if (field !== 'close' && (raw === undefined || raw === null || raw === '')) continue
    const parsed = parseDecimal(raw)
    if (!parsed.ok) return err(`pse edge ${symbol}: ${field}: ${parsed.error}`)
    numbers[field] = parsed.value
  }
  const candidate = makeQuote({
    symbol,
    exchange: 'PSE',
    currency: 'PHP',
    kind: 'snapshot',
    price: numbers.close ?? Number.NaN,
    open: numbers.open,
    high: numbers.high,
    low: numbers.low,
    volume: numbers.volume,
    asOf: context.fetchedAt,
    fetchedAt: context.fetchedAt,
    source: context.source ?? 'pse-edge',
  })
  const quote = validateMessage(quoteSchema, candidate)
  return quote.ok ? quote : err(`pse edge ${symbol}: ${quote.error}`)
}

/** Either original format, recognised by its shape, as Quotes; any bad entry makes the whole payload an error. */
export function parseOriginalFormat(
  value: unknown,
  context: OriginalFormatContext,
): Result<readonly Quote[]> {
  if (isRecord(value) && typeof value.stock === 'string') {
    const quote = parseEdgeQuote(value, context)
    return quote.ok ? ok([quote.value]) : quote
  }
  const outcomes = parsePhisixStocks(value, context)
  if (!outcomes.ok) return outcomes
  const quotes: Quote[] = []
  for (const outcome of outcomes.value) {
    if (!outcome.quote.ok) return outcome.quote
    quotes.push(outcome.quote.value)
  }
  return ok(quotes)
}
