/** Every topic quotecast uses, keyed by symbol, with the configuration `quotecast topics` creates. */
export const TOPICS = {
  quotes: 'quotes',
  bars: 'bars',
  features: 'features',
  predictions: 'predictions',
  models: 'models',
  deadLetters: 'dead-letters',
  /** The processor's per-symbol state, its changelog for restore on restart or rebalance. */
  processorState: 'processor-state',
  /** The original project's messages (`quotecast bridge` reads them); not keyed by symbol. */
  stockDetails: 'stock-details',
} as const

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]

export interface TopicSpec {
  readonly name: string
  readonly partitions: number
  readonly configs: Readonly<Record<string, string>>
}

const WEEK_MS = String(7 * 24 * 3600 * 1000)

/** Topic layout for a given partition count. Every topic shares it so that symbols co-partition. */
export function topicSpecs(partitions: number, prefix = ''): TopicSpec[] {
  const retained = { 'cleanup.policy': 'delete', 'retention.ms': '-1' }
  const compacted = { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'segment.ms': '3600000' }
  return [
    {
      name: prefix + TOPICS.quotes,
      partitions,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': WEEK_MS },
    },
    { name: prefix + TOPICS.bars, partitions, configs: retained },
    { name: prefix + TOPICS.features, partitions, configs: retained },
    { name: prefix + TOPICS.predictions, partitions, configs: retained },
    { name: prefix + TOPICS.models, partitions, configs: compacted },
    { name: prefix + TOPICS.processorState, partitions, configs: compacted },
    {
      name: prefix + TOPICS.deadLetters,
      partitions,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': WEEK_MS },
    },
    {
      name: prefix + TOPICS.stockDetails,
      partitions,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': WEEK_MS },
    },
  ]
}
