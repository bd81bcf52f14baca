import type { Logger } from 'pino'
import type { Bus, BusRecord } from '../../../platform/bus/bus.ts'
import { decideOnFailure } from '../../../platform/decide-on-failure.ts'
import type { PredictorViews } from './create-views.ts'
import { decodeChange, type ViewKind } from './decode-change.ts'

/** What the consuming loop reports, so metrics stay out of it. */
export interface ConsumptionObserver {
  recordApplied(topic: string, count: number): void
  recordInvalid(topic: string): void
  /** Seconds between now and the newest record just consumed; 0 when a poll found nothing new. */
  setLagSeconds(topic: string, seconds: number): void
}

export interface MaterialiseOptions {
  readonly bus: Bus
  /** Topic name of each kind of record (prefix included). */
  readonly topics: Readonly<Record<ViewKind, string>>
  readonly views: PredictorViews
  readonly logger: Logger
  readonly signal: AbortSignal
  readonly now: () => number
  readonly observer?: ConsumptionObserver
  /** Called once every topic has been read to its end at start-up. */
  readonly onRestored?: () => void
}

const MAX_BACKOFF_MS = 30_000

const isAborted = (signal: AbortSignal): boolean => signal.aborted

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })

/**
 * Fills the views from the bars, predictions and models topics and keeps them current until the
 * signal aborts. Every partition is read (no consumer group), so any replica can answer for any
 * symbol. Start-up reads each topic to its end before `onRestored`; the tailing consumer then
 * skips what the restore already applied. A failed poll is retried when a retry can help
 * (`decideOnFailure`); any other failure rejects.
 */
export async function materialiseViews(options: MaterialiseOptions): Promise<void> {
  const { bus, topics, views, logger, signal, now, observer } = options
  const kindOf = new Map(Object.entries(topics).map(([kind, topic]) => [topic, kind as ViewKind]))
  const restoredUntil = new Map<string, bigint>()
  const positionKey = (record: BusRecord): string => `${record.topic}/${record.partition}`

  const apply = (records: readonly BusRecord[]): void => {
    const nowMs = now()
    const applied = new Map<string, number>()
    for (const record of records) {
      const kind = kindOf.get(record.topic)
      if (kind === undefined || record.offset < (restoredUntil.get(positionKey(record)) ?? 0n)) continue
      const decoded = decodeChange(kind, record.value)
      if (!decoded.ok) {
        observer?.recordInvalid(record.topic)
        logger.warn(
          {
            topic: record.topic,
            partition: record.partition,
            offset: String(record.offset),
            reason: decoded.error,
          },
          'skipped an invalid record',
        )
        continue
      }
      // Freshness is when the record reached Kafka, so a restart does not make old data look new.
      if (decoded.value !== null) views.apply(decoded.value, record.timestamp > 0 ? record.timestamp : nowMs)
      applied.set(record.topic, (applied.get(record.topic) ?? 0) + 1)
    }
    for (const [topic, count] of applied) observer?.recordApplied(topic, count)
  }

  const consumer = await bus.consumer({ topics: Object.values(topics), fromBeginning: true })
  try {
    for (const topic of Object.values(topics)) {
      const records = await bus.readToEnd(topic)
      apply(records)
      for (const record of records) {
        const key = positionKey(record)
        if (record.offset + 1n > (restoredUntil.get(key) ?? 0n)) restoredUntil.set(key, record.offset + 1n)
      }
      logger.info({ topic, records: records.length }, 'view restored')
    }
    options.onRestored?.()

    let backoffMs = 250
    while (!signal.aborted) {
      let records: readonly BusRecord[]
      try {
        records = await consumer.poll({ maxRecords: 1000, maxWaitMs: 500 })
        backoffMs = 250
      } catch (error) {
        // A failure while stopping (TypeScript narrows `signal.aborted` to false inside the loop).
        if (isAborted(signal)) break
        const decision = decideOnFailure(error, {
          logger,
          retryInMs: backoffMs,
          retrying: 'poll failed: retrying',
        })
        if (decision === 'stop') throw error
        await pause(backoffMs, signal)
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS)
        continue
      }
      apply(records)
      const newest = new Map<string, number>()
      for (const record of records)
        newest.set(record.topic, Math.max(newest.get(record.topic) ?? 0, record.timestamp))
      for (const topic of Object.values(topics)) {
        const timestamp = newest.get(topic)
        observer?.setLagSeconds(topic, timestamp === undefined ? 0 : Math.max(0, (now() - timestamp) / 1000))
      }
    }
  } finally {
    await consumer.close()
  }
}
