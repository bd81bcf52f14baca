import { startKafkaStreamsApp } from '../kafka-streams/kafka-streams-app.ts'
import { startServiceProcess } from '../support/service-process.ts'

/** One of the two implementations of the processor's job, running as its own process. */
export interface RunningEngine {
  readonly pid: number | undefined
  /** Kafka Streams: the StreamsConfig properties it ran with; quotecast: none. */
  readonly settings: string
  /** Quotes taken so far, and bars published. */
  counts(): Promise<{ readonly quotes: number; readonly bars: number }>
  stop(): Promise<void>
}

export type EngineName = 'quotecast' | 'kafka-streams'

export interface EngineStart {
  readonly bootstrap: string
  readonly topicPrefix: string
  readonly isExactlyOnce: boolean
  /** The Kafka Streams app's classpath (from buildKafkaStreamsApp). */
  readonly classpath: string
  readonly label: string
}

/** Starts `quotecast process` or the Kafka Streams app on `topicPrefix` and resolves once it is ready. */
export async function startEngine(name: EngineName, start: EngineStart): Promise<RunningEngine> {
  if (name === 'quotecast') {
    const service = await startServiceProcess(start.label, 'process', [
      '--kafka',
      start.bootstrap,
      '--topic-prefix',
      start.topicPrefix,
      '--exactly-once',
      String(start.isExactlyOnce),
    ])
    return {
      pid: service.pid,
      settings: '',
      counts: async () => ({
        quotes: await service.metric('quotecast_processor_quotes_total'),
        bars: await service.metric('quotecast_processor_bars_total'),
      }),
      stop: () => service.stop(),
    }
  }
  const app = await startKafkaStreamsApp({
    classpath: start.classpath,
    bootstrap: start.bootstrap,
    topicPrefix: start.topicPrefix,
    applicationId: `${start.topicPrefix}kafka-streams`,
    isExactlyOnce: start.isExactlyOnce,
  })
  return {
    pid: app.pid,
    settings: app.settings,
    counts: () => {
      const progress = app.progress()
      return Promise.resolve({ quotes: progress.count, bars: progress.bars })
    },
    stop: () => app.stop(),
  }
}
