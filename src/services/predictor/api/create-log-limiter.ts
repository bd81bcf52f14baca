export interface LogPermit {
  readonly isAllowed: boolean
  /** Lines refused since the last allowed one: the allowed line says how many it stands for. */
  readonly suppressed: number
}

export interface LogLimiter {
  take(nowMs: number): LogPermit
}

/**
 * At most `max` log lines per fixed window of `windowMs`; the first line allowed after a refusal
 * carries the count refused, so a flood of bad requests costs a few lines, not megabytes.
 */
export function createLogLimiter(options: { max: number; windowMs: number }): LogLimiter {
  let windowStartMs = Number.NEGATIVE_INFINITY
  let taken = 0
  let suppressed = 0
  return {
    take(nowMs) {
      if (nowMs - windowStartMs >= options.windowMs) {
        windowStartMs = nowMs
        taken = 0
      }
      if (taken >= options.max) {
        suppressed += 1
        return { isAllowed: false, suppressed }
      }
      taken += 1
      const permit = { isAllowed: true, suppressed }
      suppressed = 0
      return permit
    },
  }
}
