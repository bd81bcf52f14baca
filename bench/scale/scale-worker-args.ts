import type { ScaleJob } from './scale-worker.ts'

/** Batches timed together; the figures are medians over chunks, so one preempted stretch is outvoted. */
export const BATCHES_PER_CHUNK = 10

const WORKER = new URL('scale-worker.ts', import.meta.url).pathname

/** Node's arguments for a scale worker of `job` (`--turns` among `extra` for the turn-taking mode). */
export const scaleWorkerArgs = (job: ScaleJob, ...extra: readonly string[]): string[] => [
  '--expose-gc',
  WORKER,
  JSON.stringify(job),
  ...extra,
]
