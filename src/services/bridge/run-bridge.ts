import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { TOPICS, topicSpecs } from '../../core/contracts/topics.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { startWorkSummary } from '../../platform/logger/start-work-summary.ts'
import { runPartitionedLoop } from '../../platform/stream/run-partitioned-loop.ts'
import { tallyStage } from '../../platform/stream/tally-stage.ts'
import { createBridgeMetrics } from './bridge-metrics.ts'
import { createBridgeStage } from './bridge-stage.ts'

export interface BridgeOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  /** The topic read, before the prefix. Default stock-details. */
  readonly stockDetailsTopic?: string
  /** Partitions of the topics created when missing. Default 6. */
  readonly partitions?: number
  readonly registry: Registry
  readonly logger: Logger
  readonly signal: AbortSignal
  readonly isExactlyOnce?: boolean
  readonly groupId?: string
  readonly onReady?: () => void
  /** Milliseconds between work summary lines; 0: only at stop. Default 30 s. */
  readonly summaryEveryMs?: number
}

/** Runs the stock-details → quotes bridge as a member of its consumer group until `signal` aborts. */
export async function runBridge(options: BridgeOptions): Promise<void> {
  const prefix = options.topicPrefix
  const input = prefix + (options.stockDetailsTopic ?? TOPICS.stockDetails)
  // The input topic is configured like the bundled stock-details one, under its own name.
  const names = new Map([
    [prefix + TOPICS.quotes, prefix + TOPICS.quotes],
    [prefix + TOPICS.deadLetters, prefix + TOPICS.deadLetters],
    [prefix + TOPICS.stockDetails, input],
  ])
  const specs = topicSpecs(options.partitions ?? 6, prefix).flatMap((spec) => {
    const name = names.get(spec.name)
    return name === undefined ? [] : [{ ...spec, name }]
  })
  // Where the topics are managed elsewhere (Strimzi), creating them is not allowed and not needed.
  await options.bus
    .ensureTopics(specs)
    .catch((error: unknown) => options.logger.error({ err: error }, 'could not ensure the topics'))
  const stage = createBridgeStage({
    topicPrefix: prefix,
    metrics: createBridgeMetrics(options.registry),
    now: Date.now,
  })
  const tally = tallyStage(stage, { topicPrefix: prefix, now: Date.now, eventTimeField: 'as_of' })
  const summary = startWorkSummary({
    logger: options.logger,
    everyMs: options.summaryEveryMs ?? 30_000,
    read: () => tally.counts('messagesIn', { [TOPICS.quotes]: 'quotesOut' }),
  })
  options.logger.info({ from: input, to: prefix + TOPICS.quotes }, 'bridge starting')
  await runPartitionedLoop({
    bus: options.bus,
    groupId: options.groupId ?? `${prefix}quotecast-bridge`,
    topic: input,
    stage: tally.stage,
    signal: options.signal,
    logger: options.logger,
    ...(options.isExactlyOnce === undefined ? {} : { isExactlyOnce: options.isExactlyOnce }),
    ...(options.onReady ? { onReady: options.onReady } : {}),
  }).finally(() => summary.stop())
  options.logger.info('bridge stopped')
}
