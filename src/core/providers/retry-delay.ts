export interface BackoffPolicy {
  /** The wait before the first retry, before jitter. */
  readonly baseMs: number
  /** No single wait exceeds this. */
  readonly maxMs: number
}

/**
 * Exponential backoff with "equal jitter": the n-th retry (0-based) waits between half and all of
 * min(maxMs, baseMs·2ⁿ), so that clients which failed together do not retry together. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt)
  return Math.round(ceiling / 2 + (ceiling / 2) * random)
}
