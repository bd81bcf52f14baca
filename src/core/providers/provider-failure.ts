/**
 * Why a provider gave no usable quote. `transient` and `rate-limited` (a short-term limit) may succeed
 * if asked again later; the others will not, so the fetcher moves on to the next provider at once:
 * `quota` is the provider's daily allowance used up, `budget` our own per-provider request budget,
 * `exhausted` a replay with no bar after where the stream already is (nothing wrong, nothing to do).
 */
export const FAILURE_KINDS = [
  'transient',
  'rate-limited',
  'quota',
  'budget',
  'not-found',
  'unsupported',
  'unauthorized',
  'invalid',
  'exhausted',
] as const

export type FailureKind = (typeof FAILURE_KINDS)[number]

export interface ProviderFailure {
  readonly kind: FailureKind
  readonly message: string
  /** How long the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number
}

/** Builds a failure value; `retryAfterMs` is left out when unknown. */
export function providerFailure(kind: FailureKind, message: string, retryAfterMs?: number): ProviderFailure {
  return retryAfterMs === undefined ? { kind, message } : { kind, message, retryAfterMs }
}

/** Whether asking the same provider again may help. */
export const isRetryable = (failure: ProviderFailure): boolean =>
  failure.kind === 'transient' || failure.kind === 'rate-limited'
