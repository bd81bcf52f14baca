import { err, type Result } from '../../core/contracts/result.ts'
import type { HttpReply } from '../../core/providers/http-reply.ts'
import { isRetryable, providerFailure, type ProviderFailure } from '../../core/providers/provider-failure.ts'
import { retryDelayMs, type BackoffPolicy } from '../../core/providers/retry-delay.ts'
import type { Clock } from './clock.ts'
import { httpGet, type FetchLike } from './http-get.ts'
import type { RequestBudget } from './request-budget.ts'

export interface RetryEvent {
  readonly provider: string
  /** What was asked, without secrets (no API key). */
  readonly what: string
  readonly attempt: number
  readonly waitMs: number
  readonly failure: ProviderFailure
}

export interface ProviderHttpOptions {
  readonly provider: string
  readonly fetch: FetchLike
  readonly clock: Clock
  /** In [0, 1); Math.random outside tests. */
  readonly random: () => number
  readonly budget: RequestBudget
  readonly timeoutMs: number
  /** Retries after the first attempt, for transient failures and short rate limits only. */
  readonly retries: number
  readonly backoff: BackoffPolicy
  /** The longest Retry-After (or budget wait) honoured; a longer one fails over instead. */
  readonly maxRetryWaitMs: number
  readonly headers?: Record<string, string>
  readonly signal?: AbortSignal
  readonly onRetry?: (event: RetryEvent) => void
}

export interface ProviderHttp {
  /**
   * GETs `url` and parses the reply, retrying what may succeed later: transient failures with
   * exponential backoff and jitter, rate limits after the Retry-After the provider asked for. Every
   * attempt spends the provider's request budget; when it is spent the call fails with `budget`,
   * or, with `waitForBudget` (backfills), waits for a free slot if that is soon enough.
   */
  request<T>(
    url: string,
    what: string,
    parse: (reply: HttpReply) => Result<T, ProviderFailure>,
    options?: { readonly waitForBudget?: boolean },
  ): Promise<Result<T, ProviderFailure>>
}

export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const { clock, signal } = options
  async function spendBudget(waitForBudget: boolean): Promise<ProviderFailure | undefined> {
    for (;;) {
      const grant = options.budget.take()
      if (grant.isGranted) return undefined
      if (!waitForBudget || grant.freeInMs > options.maxRetryWaitMs || signal?.aborted === true) {
        return providerFailure(
          'budget',
          `${options.provider}: request budget spent (next request free in ${Math.ceil(grant.freeInMs / 1000)} s)`,
        )
      }
      await clock.sleep(grant.freeInMs, signal)
    }
  }
  return {
    async request(url, what, parse, requestOptions = {}) {
      for (let attempt = 0; ; attempt++) {
        const overBudget = await spendBudget(requestOptions.waitForBudget ?? false)
        if (overBudget) return err(overBudget)
        const reply = await httpGet(url, {
          fetch: options.fetch,
          clock,
          timeoutMs: options.timeoutMs,
          headers: options.headers ?? {},
          ...(signal ? { signal } : {}),
        })
        const result = reply.ok ? parse(reply.value) : reply
        if (result.ok || !isRetryable(result.error) || attempt >= options.retries || signal?.aborted === true)
          return result
        const waitMs = result.error.retryAfterMs ?? retryDelayMs(attempt, options.backoff, options.random())
        if (waitMs > options.maxRetryWaitMs) {
          return err({
            ...result.error,
            message: `${result.error.message} (asked to wait ${Math.ceil(waitMs / 1000)} s: too long)`,
          })
        }
        options.onRetry?.({
          provider: options.provider,
          what,
          attempt: attempt + 1,
          waitMs,
          failure: result.error,
        })
        await clock.sleep(waitMs, signal)
      }
    },
  }
}
