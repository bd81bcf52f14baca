import { Counter, type Registry } from 'prom-client'

export interface BridgeMetrics {
  readonly messages: Counter
  readonly quotes: Counter
  readonly deadLettered: Counter
}

/** Counts of the bridge's work: stock-details messages in, quotes out, messages dead-lettered. */
export function createBridgeMetrics(registry: Registry): BridgeMetrics {
  return {
    messages: new Counter({
      name: 'quotecast_bridge_messages_total',
      help: 'stock-details messages consumed',
      registers: [registry],
    }),
    quotes: new Counter({
      name: 'quotecast_bridge_quotes_total',
      help: 'Quotes published from stock-details messages',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'quotecast_bridge_dead_letters_total',
      help: 'stock-details messages (or some of their stocks) sent to dead-letters',
      registers: [registry],
    }),
  }
}
