import type { Bar } from '../../src/core/contracts/bar.ts'
import type { Quote } from '../../src/core/contracts/quote.ts'
import { partitionForKey } from '../../src/platform/bus/murmur2.ts'
import { barQuote } from './bundled-quotes.ts'

/** A real series under another symbol: more symbols with real prices, for tests that spread keys. */
export function relabelledSeries(bars: readonly Bar[], symbol: string): { bars: Bar[]; quotes: Quote[] } {
  const relabelled = bars.map((bar) => ({ ...bar, symbol }))
  return { bars: relabelled, quotes: relabelled.map((bar) => barQuote(bar)) }
}

/** `count` symbols `<stem>0`, `<stem>1`, … chosen so that together they cover every partition. */
export function symbolsCoveringPartitions(stem: string, count: number, partitions: number): string[] {
  const chosen: string[] = []
  const covered = new Set<number>()
  for (let index = 0; chosen.length < count && index < 10_000; index++) {
    const symbol = `${stem}${index}`
    const partition = partitionForKey(symbol, partitions)
    if (covered.size < partitions && covered.has(partition)) continue
    covered.add(partition)
    chosen.push(symbol)
  }
  return chosen
}

/** Interleaves several series by event time (stable), as a live feed of many symbols would. */
export function byEventTime(...series: readonly (readonly Quote[])[]): Quote[] {
  return series.flat().sort((a, b) => a.asOf - b.asOf)
}
