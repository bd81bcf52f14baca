import { err, ok, type Result } from '../../core/contracts/result.ts'
import type { HttpReply } from '../../core/providers/http-reply.ts'
import { providerFailure, type ProviderFailure } from '../../core/providers/provider-failure.ts'
import type { Clock } from './clock.ts'

/** The part of `fetch` the providers use, so tests can route requests through an HTTP mock. */
export type FetchLike = (
  url: string,
  init: { readonly signal: AbortSignal; readonly headers: Record<string, string> },
) => Promise<{
  readonly status: number
  readonly headers: { forEach(callback: (value: string, key: string) => void): void }
  text(): Promise<string>
}>

export interface HttpGetOptions {
  readonly fetch: FetchLike
  readonly clock: Clock
  readonly timeoutMs: number
  readonly headers?: Record<string, string>
  /** Cancels the request when the run stops. */
  readonly signal?: AbortSignal
}

/**
 * One GET with a deadline. Whatever the network does becomes a value: a reply (any status), or a
 * `transient` failure for a timeout, a refused or reset connection, or a body cut short.
 */
export async function httpGet(
  url: string,
  options: HttpGetOptions,
): Promise<Result<HttpReply, ProviderFailure>> {
  const deadline = options.clock.timeout(options.timeoutMs)
  const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal])
  try {
    const response = await options.fetch(url, { signal, headers: options.headers ?? {} })
    const body = await response.text()
    const headers: Record<string, string> = {}
    response.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value
    })
    return ok({ status: response.status, headers, body })
  } catch (error) {
    if (options.signal?.aborted === true)
      return err(providerFailure('transient', 'cancelled: the run is stopping'))
    if (deadline.aborted) return err(providerFailure('transient', `timed out after ${options.timeoutMs} ms`))
    return err(providerFailure('transient', `request failed: ${describeNetworkError(error)}`))
  }
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code
    return typeof code === 'string' ? `${code} ${cause.message}` : cause.message
  }
  return String(cause)
}
