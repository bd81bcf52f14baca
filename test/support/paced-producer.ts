import { setTimeout as sleep } from 'node:timers/promises'
import type { Quote } from '../../src/core/contracts/quote.ts'
import type { TestPipeline } from './test-pipeline.ts'

export interface PacedProducer {
  /** Quotes acknowledged so far. */
  readonly produced: () => number
  /** Resolves when every quote is acknowledged; rejects on a produce failure. */
  readonly done: Promise<void>
  stop(): void
}

/**
 * Produces quotes to the pipeline at about `perSecond`, in small acknowledged batches, so that a
 * stream lasts long enough for faults to land in the middle of it. Order is kept.
 */
export function producePaced(
  pipeline: TestPipeline,
  quotes: readonly Quote[],
  options: { perSecond: number; batchSize?: number },
): PacedProducer {
  const batchSize = options.batchSize ?? Math.max(1, Math.round(options.perSecond / 10))
  let produced = 0
  const state = { isStopped: false }
  const startedAt = Date.now()
  const done = (async () => {
    while (produced < quotes.length && !state.isStopped) {
      const batch = quotes.slice(produced, produced + batchSize)
      await pipeline.produceQuotes(batch)
      produced += batch.length
      const dueAt = startedAt + (produced / options.perSecond) * 1000
      const waitMs = dueAt - Date.now()
      if (waitMs > 0) await sleep(waitMs)
    }
  })()
  // Awaited by the test later; until then a failure must not count as unhandled.
  done.catch(() => undefined)
  return {
    produced: () => produced,
    done,
    stop: () => {
      state.isStopped = true
    },
  }
}
