export interface RateLimitHit {
  readonly limit: number
  /** Requests left in the window, 0 once exceeded. */
  readonly remaining: number
  /** Whole seconds until the window ends. */
  readonly resetSec: number
  readonly isExceeded: boolean
}

export interface RateLimiter {
  /** Counts a request of `key` at `nowMs`. */
  hit(key: string, nowMs: number): RateLimitHit
}

interface Window {
  count: number
  startMs: number
}

/**
 * Fixed windows per key, as @fastify/rate-limit's local store counts them: a window opens at a
 * key's first request and lasts `windowMs`; past `max` requests in it the key is refused until it
 * ends. Only the `capacity` most recently seen keys are remembered.
 */
export function createRateLimiter(options: {
  max: number
  windowMs: number
  capacity?: number
}): RateLimiter {
  const { max, windowMs } = options
  const capacity = options.capacity ?? 5000
  const windows = new Map<string, Window>()
  let newestKey: string | undefined

  return {
    hit(key, nowMs) {
      let window = windows.get(key)
      if (window === undefined) {
        window = { count: 0, startMs: nowMs }
        windows.set(key, window)
        if (windows.size > capacity) windows.delete(windows.keys().next().value!)
      } else if (key !== newestKey) {
        windows.delete(key)
        windows.set(key, window)
      }
      newestKey = key
      if (window.startMs + windowMs <= nowMs) {
        window.count = 0
        window.startMs = nowMs
      }
      window.count += 1
      return {
        limit: max,
        remaining: Math.max(0, max - window.count),
        resetSec: Math.ceil((window.startMs + windowMs - nowMs) / 1000),
        isExceeded: window.count > max,
      }
    },
  }
}
