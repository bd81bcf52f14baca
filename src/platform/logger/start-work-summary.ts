import type { Logger } from 'pino'

/** What a summary line reports, by name: counts, durations, times. Undefined fields are left out. */
export type WorkCounts = Readonly<Record<string, number | string | undefined>>

/** The interval timer, injected so that tests need no sleeps. */
export interface SummaryTimer {
  setInterval(callback: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

export interface WorkSummaryOptions {
  readonly logger: Logger
  /** Milliseconds between lines; 0 logs only the final line. */
  readonly everyMs: number
  /** The counts so far (totals since start). */
  readonly read: () => WorkCounts | Promise<WorkCounts>
  /**
   * A line whose counts did not change since the last line is skipped, except every this many
   * intervals, so that an idle service still shows it is alive. Default 10.
   */
  readonly quietEvery?: number
  readonly timer?: SummaryTimer
}

export interface WorkSummary {
  /** Stops the timer and logs the final line (`final: true`), whatever changed. */
  stop(): Promise<void>
}

export const WORK_SUMMARY_MESSAGE = 'work summary'

const systemTimer: SummaryTimer = {
  setInterval: (callback, ms) => setInterval(callback, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
}

/**
 * Logs a service's totals ('work summary') every `everyMs` while they change, and once more on
 * stop, so that `kubectl logs` shows what a service did without a metrics stack.
 */
export function startWorkSummary(options: WorkSummaryOptions): WorkSummary {
  const timer = options.timer ?? systemTimer
  const quietEvery = options.quietEvery ?? 10
  let lastLine: string | undefined
  let quietTicks = 0
  let reading: Promise<void> | undefined

  const log = async (isFinal: boolean): Promise<void> => {
    let counts: WorkCounts
    try {
      counts = await options.read()
    } catch (error) {
      options.logger.warn({ err: error }, 'work summary: could not read the counts')
      return
    }
    const line = JSON.stringify(counts)
    if (!isFinal && line === lastLine && ++quietTicks < quietEvery) return
    quietTicks = 0
    lastLine = line
    options.logger.info({ ...counts, ...(isFinal ? { final: true } : {}) }, WORK_SUMMARY_MESSAGE)
  }

  const handle =
    options.everyMs > 0
      ? timer.setInterval(() => {
          // A slow read (a metrics registry) is not overlapped by the next tick.
          reading ??= log(false).finally(() => (reading = undefined))
        }, options.everyMs)
      : undefined
  let stopping: Promise<void> | undefined
  return {
    stop() {
      stopping ??= (async () => {
        if (handle !== undefined) timer.clearInterval(handle)
        await reading
        await log(true)
      })()
      return stopping
    },
  }
}
