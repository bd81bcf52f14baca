import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import type { OutgoingRecord } from '../../src/platform/bus/bus.ts'
import { loadBundledBars, quoteOfBar, syntheticBar, syntheticSymbols } from '../support/synthetic-symbols.ts'

/**
 * `count` daily bar quotes of `symbols` synthetic symbols, as a backfill of all of them at once
 * would publish them: every symbol's next bar in turn. Every quote is valid and completes a bar.
 */
export async function benchQuoteRecords(
  count: number,
  symbols: number,
  topicPrefix: string,
): Promise<OutgoingRecord[]> {
  const specs = syntheticSymbols(await loadBundledBars(), symbols, {
    barsPerSymbol: Math.ceil(count / symbols),
  })
  const records: OutgoingRecord[] = []
  for (let k = 0; records.length < count; k++) {
    for (const spec of specs) {
      if (records.length === count) break
      const quote = quoteOfBar(syntheticBar(spec, k))
      records.push({ topic: topicPrefix + TOPICS.quotes, key: quote.symbol, value: encodeMessage(quote) })
    }
  }
  return records
}

/** The mean size of the records' values, in bytes. */
export const meanValueBytes = (records: readonly OutgoingRecord[]): number =>
  records.reduce((sum, record) => sum + (record.value?.byteLength ?? 0), 0) / Math.max(1, records.length)
