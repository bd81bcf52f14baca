import { encodeMessage } from '../../core/contracts/decode-message.ts'
import type { Quote } from '../../core/contracts/quote.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import type { Bus } from '../../platform/bus/bus.ts'

/** The quotes topic under a prefix. */
export const quotesTopic = (topicPrefix: string): string => `${topicPrefix}${TOPICS.quotes}`

/**
 * Produces quotes keyed by symbol, in the order given, and resolves once the broker acknowledged
 * every one of them (the bus's producer is idempotent); rejects otherwise.
 */
export async function publishQuotes(bus: Bus, topicPrefix: string, quotes: readonly Quote[]): Promise<void> {
  if (quotes.length === 0) return
  await bus.produce(
    quotes.map((quote) => ({
      topic: quotesTopic(topicPrefix),
      key: quote.symbol,
      value: encodeMessage(quote),
    })),
  )
}
