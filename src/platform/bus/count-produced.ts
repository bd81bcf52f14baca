import type { Bus } from './bus.ts'

export interface CountedBus {
  /** The bus to use instead of the wrapped one. */
  readonly bus: Bus
  /** Records acknowledged by the broker so far. */
  produced(): number
}

/** Wraps a bus to count the records it produced (acknowledged), for a work summary. */
export function countProduced(bus: Bus): CountedBus {
  let produced = 0
  return {
    bus: {
      ensureTopics: (specs) => bus.ensureTopics(specs),
      produce: async (records) => {
        await bus.produce(records)
        produced += records.length
      },
      consumer: (options) => bus.consumer(options),
      readToEnd: (topic, partitions) => bus.readToEnd(topic, partitions),
      partitionOf: (topic, key) => bus.partitionOf(topic, key),
      close: () => bus.close(),
    },
    produced: () => produced,
  }
}
