import type { Clock } from './clock.ts'

export interface RequestBudget {
  /** Spends one request if the window allows it; otherwise says how long until one is free. */
  take(): { readonly isGranted: true } | { readonly isGranted: false; readonly freeInMs: number }
}

/**
 * At most `maxRequests` requests in any `windowMs` (a sliding window), per provider: our side of a
 * provider's rate limit, so that a run never spends more than it was given.
 */
export function createRequestBudget(options: {
  maxRequests: number
  windowMs: number
  clock: Clock
}): RequestBudget {
  const spent: number[] = []
  return {
    take() {
      const now = options.clock.now()
      while (spent.length > 0 && (spent[0] ?? 0) <= now - options.windowMs) spent.shift()
      if (spent.length < options.maxRequests) {
        spent.push(now)
        return { isGranted: true }
      }
      return { isGranted: false, freeInMs: (spent[0] ?? now) + options.windowMs - now }
    },
  }
}
