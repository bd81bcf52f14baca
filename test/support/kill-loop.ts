import { setTimeout as sleep } from 'node:timers/promises'
import type { SeededRandom } from '../fixtures/seeded-random.ts'
import type { ServiceProcess } from './services.ts'

export interface KillRecord {
  readonly service: string
  /** The work metric of the killed process (undefined: killed before it was ready). */
  readonly consumed: number | undefined
  /** From SIGKILL to the replacement's readiness; undefined when it was killed again before. */
  readonly recoveryMs: number | undefined
}

export interface KillLoopOptions {
  readonly service: string
  /** Starts the `n`-th incarnation of the service. */
  readonly start: (incarnation: number) => ServiceProcess
  readonly kills: number
  readonly random: SeededRandom
  /** The longest random wait before a kill. */
  readonly maxDelayMs: number
  /** Share of kills that hit the process while it starts (joining the group, restoring state). */
  readonly startUpShare: number
  /** The metric read just before each kill, to show where in the stream it landed. */
  readonly workMetric: string
}

/**
 * SIGKILLs a service `kills` times at seeded random points and restarts it each time; returns the
 * last incarnation (running) and what each kill hit. A kill during start-up does not wait for
 * readiness; every other kill waits for it first, then a random delay.
 */
export async function runKillLoop(
  options: KillLoopOptions,
): Promise<{ current: ServiceProcess; kills: KillRecord[] }> {
  let current = options.start(0)
  const kills: KillRecord[] = []
  const whenReady = (service: ServiceProcess, onReady: () => void): Promise<Error | undefined> =>
    service.waitReady(120_000).then(
      () => {
        onReady()
        return undefined
      },
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    )
  let ready = whenReady(current, () => undefined)
  for (let kill = 1; kill <= options.kills; kill++) {
    const isDuringStartUp = options.random.uniform() < options.startUpShare
    if (isDuringStartUp) {
      await sleep(options.random.uniform() * 1500)
    } else {
      const failure = await ready
      if (failure !== undefined) throw failure
      await sleep(200 + options.random.uniform() * (options.maxDelayMs - 200))
    }
    const consumed = await current.metric(options.workMetric)
    const killedAt = Date.now()
    await current.kill('SIGKILL')
    current = options.start(kill)
    const record: { service: string; consumed: number | undefined; recoveryMs: number | undefined } = {
      service: options.service,
      consumed,
      recoveryMs: undefined,
    }
    kills.push(record)
    ready = whenReady(current, () => {
      record.recoveryMs = Date.now() - killedAt
    })
  }
  const failure = await ready
  if (failure !== undefined) throw failure
  return { current, kills }
}
