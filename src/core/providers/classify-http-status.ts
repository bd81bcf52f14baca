import type { HttpReply } from './http-reply.ts'
import { parseRetryAfter } from './parse-retry-after.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { summarizeBody } from './summarize-body.ts'

/**
 * The failure an HTTP status means, or undefined for 2xx. 429 is a rate limit; 408, 425 and 5xx are
 * transient (with the server's Retry-After when given); 401/403 unauthorized; 404 not found; any
 * other status is an invalid request that asking again will not fix.
 */
export function classifyHttpStatus(reply: HttpReply, nowMs: number): ProviderFailure | undefined {
  const { status } = reply
  if (status >= 200 && status < 300) return undefined
  const retryAfterMs = parseRetryAfter(reply.headers['retry-after'], nowMs)
  const message = `HTTP ${status}: ${summarizeBody(reply.body)}`
  if (status === 429) return providerFailure('rate-limited', message, retryAfterMs)
  if (status === 408 || status === 425 || status >= 500)
    return providerFailure('transient', message, retryAfterMs)
  if (status === 401 || status === 403) return providerFailure('unauthorized', message)
  if (status === 404) return providerFailure('not-found', message)
  return providerFailure('invalid', message)
}
