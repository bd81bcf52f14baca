import { encodeMessage } from '../../core/contracts/decode-message.ts'
import { readStockDetails } from '../../core/contracts/read-stock-details.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import type { BusRecord, OutgoingRecord } from '../../platform/bus/bus.ts'
import { toDeadLetter } from '../../platform/bus/dead-letter.ts'
import type { PartitionedStage } from '../../platform/stream/partitioned-stage.ts'
import type { BridgeMetrics } from './bridge-metrics.ts'

export interface BridgeStageOptions {
  readonly topicPrefix: string
  readonly metrics: BridgeMetrics
  /** For a record without a broker timestamp only: its fetch time. */
  readonly now: () => number
}

/** Rejected entries named in one dead letter, at most. */
const MAX_REASONS = 5

/**
 * The original project's stock-details messages → one Quote per stock on the quotes topic, keyed by
 * symbol; a message that cannot be read, or the stocks of one that cannot, go to dead-letters with
 * the reason. Stateless: no stores. The fetch time of a quote is the message's broker
 * timestamp, so re-reading a message after a crash produces the same bytes.
 */
export function createBridgeStage(options: BridgeStageOptions): PartitionedStage {
  const quotesTopic = options.topicPrefix + TOPICS.quotes
  const deadLetter = (record: BusRecord, reason: string): OutgoingRecord => {
    options.metrics.deadLettered.inc()
    return toDeadLetter(record, reason, 'bridge', options.now(), options.topicPrefix)
  }
  return {
    stores: [],
    process(records) {
      const outputs: OutgoingRecord[] = []
      for (const record of records) {
        const fetchedAt = record.timestamp > 0 ? record.timestamp : options.now()
        const details = readStockDetails(record.value, { fetchedAt, source: 'stock-details' })
        if (!details.ok) {
          outputs.push(deadLetter(record, `stock-details: ${details.error}`))
          continue
        }
        const { quotes, rejected, entries } = details.value
        for (const quote of quotes)
          outputs.push({ topic: quotesTopic, key: quote.symbol, value: encodeMessage(quote) })
        options.metrics.quotes.inc(quotes.length)
        if (rejected.length > 0) {
          const more = rejected.length > MAX_REASONS ? ` (and ${rejected.length - MAX_REASONS} more)` : ''
          const reasons = rejected.slice(0, MAX_REASONS).join('; ')
          outputs.push(
            deadLetter(
              record,
              `stock-details: ${rejected.length} of ${entries} stocks rejected: ${reasons}${more}`,
            ),
          )
        }
      }
      options.metrics.messages.inc(records.length)
      return outputs
    },
  }
}
