/** Time as the fetcher sees it, injected so that tests run on virtual time and never really wait. */
export interface Clock {
  readonly now: () => number
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** A signal that aborts after `ms`: the deadline of one HTTP request. */
  readonly timeout: (ms: number) => AbortSignal
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted === true) {
        resolve()
        return
      }
      const onAbort = (): void => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
  timeout: (ms) => AbortSignal.timeout(ms),
}
