import type { ScaleJob } from './scale-worker.ts'

/** Batches timed together; the figures are medians over chunks, so one preempted stretch is outvoted. */
const BATCHES_PER_CHUNK = 10
/**
 * A chunk holds at least this many messages. The main thread's CPU clock
 * (`process.threadCpuUsage`) advances in scheduler ticks on some kernels (4 ms seen here: 300 µs of
 * work read as 2 µs or 4,025 µs), so a chunk must be long against a tick: batches of 10 messages,
 * 10 to a chunk, once read 0.00 µs a message.
 */
const MIN_CHUNK_MESSAGES = 10_000

/** How many batches of `batchSize` messages one timed chunk holds. */
export const batchesPerChunk = (batchSize: number): number =>
  Math.max(BATCHES_PER_CHUNK, Math.ceil(MIN_CHUNK_MESSAGES / batchSize))

const WORKER = new URL('scale-worker.ts', import.meta.url).pathname

/** Node's arguments for a scale worker of `job` (`--turns` among `extra` for the turn-taking mode). */
export const scaleWorkerArgs = (job: ScaleJob, ...extra: readonly string[]): string[] => [
  '--expose-gc',
  WORKER,
  JSON.stringify(job),
  ...extra,
]
