import type { Bus, BusConsumer, BusRecord } from '../../src/platform/bus/bus.ts'
import { percentile } from '../support/percentile.ts'

/**
 * The stages of one quote's way to the API, each a wall-clock instant (epoch ms): the bench sent
 * the quote; the processor sent its feature row (the record's producer timestamp); a read_committed
 * consumer saw the row (its transaction committed); the trainer sent the prediction; a
 * read_committed consumer saw it; the SSE stream announced it.
 */
export const HOPS = [
  ['processor picks up and sends', 'quoteSent', 'rowSent'],
  ['processor transaction visible', 'rowSent', 'rowSeen'],
  ['trainer picks up and sends', 'rowSeen', 'predictionSent'],
  ['trainer transaction visible', 'predictionSent', 'predictionSeen'],
  ['prediction service to SSE', 'predictionSeen', 'announced'],
] as const

type Instant = 'quoteSent' | 'rowSent' | 'rowSeen' | 'predictionSent' | 'predictionSeen' | 'announced'
export type QuoteTrace = Partial<Record<Instant, number>>

export interface HopSummary {
  readonly hop: string
  readonly p50Ms: number
  readonly p99Ms: number
  /** Mean of the hop over the slowest 5 % of quotes end to end: where the tail goes. */
  readonly tailMeanMs: number
}

/** Keys traces by `symbol:barStart`, the bar the quote completes and the prediction is based on. */
export interface HopTracer {
  mark(key: string, instant: Instant, at: number): void
  /** Stops the topic readers. */
  stop(): Promise<void>
  summarise(): { readonly complete: number; readonly hops: readonly HopSummary[] }
}

/**
 * Reads `features` and `predictions` read_committed beside the services (no group, from the end),
 * so each hop of the path gets its own latency. The readers add two fetch sessions to the broker's
 * load; the producer timestamps are the services' own wall clock, the same machine's.
 */
export async function traceHops(
  bus: Bus,
  topics: { readonly features: string; readonly predictions: string },
): Promise<HopTracer> {
  const traces = new Map<string, QuoteTrace>()
  const mark = (key: string, instant: Instant, at: number): void => {
    const trace = traces.get(key) ?? {}
    if (trace[instant] === undefined) trace[instant] = at
    traces.set(key, trace)
  }
  let isStopped = false
  const read = async (
    consumer: BusConsumer,
    keyOf: (body: Record<string, unknown>) => string,
    sent: Instant,
    seen: Instant,
  ): Promise<void> => {
    while (!isStopped) {
      const records: readonly BusRecord[] = await consumer.poll({ maxRecords: 1000, maxWaitMs: 100 })
      const at = Date.now()
      for (const record of records) {
        if (record.value === null) continue
        const key = keyOf(JSON.parse(Buffer.from(record.value).toString('utf8')) as Record<string, unknown>)
        mark(key, sent, record.timestamp)
        mark(key, seen, at)
      }
    }
  }
  const features = await bus.consumer({ topics: [topics.features], fromBeginning: false })
  const predictions = await bus.consumer({ topics: [topics.predictions], fromBeginning: false })
  const readers = [
    read(features, (row) => `${String(row['symbol'])}:${String(row['barStart'])}`, 'rowSent', 'rowSeen'),
    read(
      predictions,
      (p) => `${String(p['symbol'])}:${String(p['basedOnBarStart'])}`,
      'predictionSent',
      'predictionSeen',
    ),
  ]
  return {
    mark,
    async stop() {
      isStopped = true
      await Promise.allSettled(readers)
      await Promise.all([features.close(), predictions.close()])
    },
    summarise() {
      const complete = [...traces.values()].filter(
        (trace) => trace.quoteSent !== undefined && trace.announced !== undefined,
      )
      const total = (trace: QuoteTrace): number => trace.announced! - trace.quoteSent!
      const slowest = [...complete]
        .sort((a, b) => total(b) - total(a))
        .slice(0, Math.ceil(complete.length * 0.05))
      const hops = HOPS.map(([hop, from, to]) => {
        const of = (list: readonly QuoteTrace[]): number[] =>
          list.flatMap((trace) =>
            trace[from] === undefined || trace[to] === undefined ? [] : [trace[to] - trace[from]],
          )
        const tail = of(slowest)
        return {
          hop,
          p50Ms: percentile(of(complete), 0.5),
          p99Ms: percentile(of(complete), 0.99),
          tailMeanMs: tail.length === 0 ? Number.NaN : tail.reduce((sum, ms) => sum + ms, 0) / tail.length,
        }
      })
      return { complete: complete.length, hops }
    },
  }
}
