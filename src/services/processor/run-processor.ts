import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { BarConfig } from '../../core/bars/resolve-bar-config.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { metricTotal } from '../../platform/logger/metric-total.ts'
import { startWorkSummary } from '../../platform/logger/start-work-summary.ts'
import { runPartitionedLoop } from '../../platform/stream/run-partitioned-loop.ts'
import { tallyStage } from '../../platform/stream/tally-stage.ts'
import { createProcessorMetrics } from './processor-metrics.ts'
import { createProcessorStage } from './processor-stage.ts'

export interface ProcessorOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly barConfig: BarConfig
  readonly registry: Registry
  readonly logger: Logger
  readonly signal: AbortSignal
  readonly isExactlyOnce?: boolean
  readonly isClosingOnClock?: boolean
  /** Close each recent bar at its session's close plus this (processor-stage.ts `sessionClose`); unset: off. */
  readonly closeGraceMs?: number
  /** The wall clock; injected by tests. Default `Date.now`. */
  readonly now?: () => number
  readonly groupId?: string
  readonly onReady?: () => void
  /** Milliseconds between work summary lines; 0: only at stop. Default 30 s. */
  readonly summaryEveryMs?: number
}

/**
 * The session clock closes a bar only while its due time is at most this old: long enough for a
 * processor down over a long weekend to close Friday's bar when it comes back, short enough that a
 * replay of old snapshots (the bundled series is years old) is left to event time.
 */
const SESSION_CLOSE_HORIZON_MS = 4 * 86_400_000

/** Runs the processor as a member of its consumer group until `signal` aborts. */
export async function runProcessor(options: ProcessorOptions): Promise<void> {
  const now = options.now ?? Date.now
  const metrics = createProcessorMetrics(options.registry)
  const stage = createProcessorStage({
    bus: options.bus,
    topicPrefix: options.topicPrefix,
    barConfig: options.barConfig,
    metrics,
    now,
    maxFetchedAheadMs: options.barConfig.maxClockSkewMs,
    isClosingOnClock: options.isClosingOnClock ?? false,
    ...(options.closeGraceMs === undefined
      ? {}
      : { sessionClose: { graceMs: options.closeGraceMs, horizonMs: SESSION_CLOSE_HORIZON_MS } }),
  })
  const tally = tallyStage(stage, { topicPrefix: options.topicPrefix, now: Date.now, eventTimeField: 'asOf' })
  const summary = startWorkSummary({
    logger: options.logger,
    everyMs: options.summaryEveryMs ?? 30_000,
    read: async () => ({
      ...tally.counts('quotesIn', { [TOPICS.bars]: 'barsOut', [TOPICS.features]: 'rowsOut' }),
      duplicates: await metricTotal(options.registry, 'quotecast_processor_duplicates_total'),
    }),
  })
  options.logger.info(
    {
      interval: options.barConfig.interval,
      exactlyOnce: options.isExactlyOnce ?? true,
      closeGraceMs: options.closeGraceMs ?? null,
    },
    'processor starting',
  )
  await runPartitionedLoop({
    bus: options.bus,
    groupId: options.groupId ?? `${options.topicPrefix}quotecast-processor`,
    topic: options.topicPrefix + TOPICS.quotes,
    stage: tally.stage,
    signal: options.signal,
    now,
    logger: options.logger,
    ...(options.isExactlyOnce === undefined ? {} : { isExactlyOnce: options.isExactlyOnce }),
    ...(options.onReady ? { onReady: options.onReady } : {}),
  }).finally(() => summary.stop())
  options.logger.info('processor stopped')
}
