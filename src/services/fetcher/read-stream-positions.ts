import { decodeMessage } from '../../core/contracts/decode-message.ts'
import { quoteSchema, type Quote } from '../../core/contracts/quote.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { quotesTopic } from './publish-quotes.ts'

export interface StreamPositions {
  /** Each symbol's latest quote in the topic (the greatest event time), for the symbols that have one. */
  readonly last: ReadonlyMap<string, Quote>
  /** Records read to find them: every record of the symbols' partitions. */
  readonly recordsRead: number
  readonly partitionsRead: number
}

/**
 * Where the quotes topic already is for each symbol: its latest quote by event time. The bus reads
 * a partition only from its start, so this reads the whole of the symbols' partitions (the topic
 * keeps a week). Records that do not decode, or belong to other symbols, are passed over.
 */
export async function readStreamPositions(
  bus: Bus,
  topicPrefix: string,
  symbols: readonly string[],
): Promise<StreamPositions> {
  const topic = quotesTopic(topicPrefix)
  const wanted = new Set(symbols)
  const partitions = [...new Set(await Promise.all(symbols.map((symbol) => bus.partitionOf(topic, symbol))))]
  const last = new Map<string, Quote>()
  if (partitions.length === 0) return { last, recordsRead: 0, partitionsRead: 0 }
  const records = await bus.readToEnd(
    topic,
    partitions.sort((a, b) => a - b),
  )
  for (const record of records) {
    if (record.key === null || !wanted.has(record.key)) continue
    const decoded = decodeMessage(quoteSchema, record.value)
    if (!decoded.ok || decoded.value.symbol !== record.key) continue
    const seen = last.get(record.key)
    if (seen === undefined || decoded.value.asOf >= seen.asOf) last.set(record.key, decoded.value)
  }
  return { last, recordsRead: records.length, partitionsRead: partitions.length }
}
