import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { TOPICS } from '../../core/contracts/topics.ts'
import { calendarCoverageWarnings } from '../../core/schedule/calendar-coverage-warnings.ts'
import type { ExchangeCalendars } from '../../core/schedule/resolve-calendars.ts'
import { resolveTrainerOptions } from '../../core/training/trainer-options.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { metricTotal } from '../../platform/logger/metric-total.ts'
import { startWorkSummary } from '../../platform/logger/start-work-summary.ts'
import { runPartitionedLoop } from '../../platform/stream/run-partitioned-loop.ts'
import { tallyStage } from '../../platform/stream/tally-stage.ts'
import { createTrainerMetrics } from './trainer-metrics.ts'
import { createTrainerStage } from './trainer-stage.ts'

export interface TrainerServiceOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly registry: Registry
  readonly logger: Logger
  readonly signal: AbortSignal
  readonly isExactlyOnce?: boolean
  readonly groupId?: string
  readonly onReady?: () => void
  /** The calendars that date the forecasts (with `--extra-closures`); default `EXCHANGE_CALENDARS`. */
  readonly calendars?: ExchangeCalendars
  /** Milliseconds between work summary lines; 0: only at stop. Default 30 s. */
  readonly summaryEveryMs?: number
}

/** Runs the trainer as a member of its consumer group until `signal` aborts. */
export async function runTrainer(options: TrainerServiceOptions): Promise<void> {
  const trainerOptions = resolveTrainerOptions(
    options.calendars === undefined ? {} : { calendars: options.calendars },
  )
  const stage = createTrainerStage({
    bus: options.bus,
    topicPrefix: options.topicPrefix,
    trainerOptions,
    metrics: createTrainerMetrics(options.registry),
    now: Date.now,
  })
  const tally = tallyStage(stage, {
    topicPrefix: options.topicPrefix,
    now: Date.now,
    eventTimeField: 'barEnd',
  })
  const summary = startWorkSummary({
    logger: options.logger,
    everyMs: options.summaryEveryMs ?? 30_000,
    read: async () => ({
      ...tally.counts('rowsIn', { [TOPICS.predictions]: 'predictionsOut', [TOPICS.models]: 'snapshotsOut' }),
      // Rows at or before the last trained bar: a replay's repeats, ignored.
      duplicates: await metricTotal(options.registry, 'quotecast_trainer_stale_rows_total'),
    }),
  })
  options.logger.info({ models: trainerOptions.models.map((model) => model.id) }, 'trainer starting')
  for (const warning of calendarCoverageWarnings(trainerOptions.calendars, Date.now())) {
    options.logger.warn(warning)
  }
  await runPartitionedLoop({
    bus: options.bus,
    groupId: options.groupId ?? `${options.topicPrefix}quotecast-trainer`,
    topic: options.topicPrefix + TOPICS.features,
    stage: tally.stage,
    signal: options.signal,
    logger: options.logger,
    ...(options.isExactlyOnce === undefined ? {} : { isExactlyOnce: options.isExactlyOnce }),
    ...(options.onReady ? { onReady: options.onReady } : {}),
  }).finally(() => summary.stop())
  options.logger.info('trainer stopped')
}
