import type { Quote } from '../contracts/quote.ts'
import type { Result } from '../contracts/result.ts'
import { dailyBarStart } from './daily-bar-start.ts'
import type { HttpReply } from './http-reply.ts'
import { makeQuote } from './make-quote.ts'
import { parsePhisixQuote, type PhisixContext } from './parse-phisix-quote.ts'
import type { ProviderFailure } from './provider-failure.ts'

/**
 * A daily bar from phisix's dated reply (`/stocks/{SYMBOL}.{YYYY-MM-DD}.json`): phisix keeps only the
 * day's last price and volume, so the bar has a close and no open, high or low. It starts at
 * 00:00 UTC of the Manila date of `as_of`.
 */
export function parsePhisixBar(reply: HttpReply, context: PhisixContext): Result<Quote, ProviderFailure> {
  const snapshot = parsePhisixQuote(reply, context)
  if (!snapshot.ok) return snapshot
  const { schema: _schema, id: _id, ...fields } = snapshot.value
  return {
    ok: true,
    value: makeQuote({
      ...fields,
      kind: 'bar',
      interval: '1d',
      asOf: dailyBarStart(fields.asOf, 'Asia/Manila'),
    }),
  }
}
