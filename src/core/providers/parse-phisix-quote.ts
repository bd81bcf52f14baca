import { parsePhisixStocks } from '../contracts/original-formats.ts'
import type { Quote } from '../contracts/quote.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { classifyHttpStatus } from './classify-http-status.ts'
import type { HttpReply } from './http-reply.ts'
import { parseJsonBody } from './parse-json-body.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'

export interface PhisixContext {
  readonly symbol: string
  readonly fetchedAt: number
  readonly source?: string
}

/**
 * The quote for one symbol in a phisix reply (`/stocks/{SYMBOL}.json`, or the dated
 * `/stocks/{SYMBOL}.{YYYY-MM-DD}.json`). phisix answers 404 with an empty body for an unknown symbol
 * and App Engine's "Over Quota" page when its daily serving quota is spent.
 */
export function parsePhisixQuote(reply: HttpReply, context: PhisixContext): Result<Quote, ProviderFailure> {
  const byStatus = classifyHttpStatus(reply, context.fetchedAt)
  if (/over quota/i.test(reply.body))
    return err(providerFailure('quota', `phisix: ${byStatus?.message ?? 'Over Quota'}`))
  if (byStatus)
    return err(
      byStatus.kind === 'not-found'
        ? providerFailure('not-found', `phisix: no stock ${context.symbol} (HTTP 404)`)
        : byStatus,
    )
  const json = parseJsonBody(reply)
  if (!json.ok) return json
  const outcomes = parsePhisixStocks(json.value, {
    fetchedAt: context.fetchedAt,
    source: context.source ?? 'pse',
  })
  if (!outcomes.ok) return err(providerFailure('invalid', outcomes.error))
  const outcome = outcomes.value.find((entry) => entry.symbol === context.symbol)
  if (outcome === undefined)
    return err(providerFailure('not-found', `phisix: ${context.symbol} is not in the reply`))
  return outcome.quote.ok ? ok(outcome.quote.value) : err(providerFailure('invalid', outcome.quote.error))
}
