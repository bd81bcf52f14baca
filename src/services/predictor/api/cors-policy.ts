import type { IncomingHttpHeaders } from 'node:http'
import { ApiError } from './api-error.ts'

export interface CorsPolicy {
  /** Every origin is allowed: the answer's headers do not depend on the request's Origin. */
  readonly isAnyOrigin: boolean
  /** The headers of every answer to a request from `origin`: the base ones and CORS'; one object per origin. */
  headersFor(origin: string | undefined): Readonly<Record<string, string>>
  /** The headers of the 204 answering a preflight; throws the ApiError naming what is wrong with it. */
  preflightHeaders(request: IncomingHttpHeaders): Record<string, string>
}

const ALLOWED_METHODS = 'GET, POST'

/**
 * CORS for `*`, one origin or a comma-separated list, as @fastify/cors answered it (allowed
 * origins echoed, `Vary: Origin` for a list, GET and POST), with every header computed up front
 * and a rejected preflight answered like any other API error rather than in plain text.
 * `baseHeaders` (the security headers) are merged in up front, so an answer sets one object.
 */
export function createCorsPolicy(
  allowed: string,
  baseHeaders: Readonly<Record<string, string>> = {},
): CorsPolicy {
  const origins = allowed.split(',').map((part) => part.trim())
  const isAny = origins.includes('*')
  const anyOrigin = { ...baseHeaders, 'access-control-allow-origin': '*' }
  const otherOrigin = { ...baseHeaders, vary: 'Origin' }
  const byOrigin = new Map(
    origins.map((origin) => [origin, { ...otherOrigin, 'access-control-allow-origin': origin }]),
  )
  const headersFor = (origin: string | undefined): Readonly<Record<string, string>> =>
    isAny ? anyOrigin : ((origin === undefined ? undefined : byOrigin.get(origin)) ?? otherOrigin)

  return {
    isAnyOrigin: isAny,
    headersFor,
    preflightHeaders(request) {
      const { origin } = request
      const method = request['access-control-request-method']
      if (origin === undefined || origin === '')
        throw new ApiError('bad_request', 'a CORS preflight needs an Origin header', {
          parameter: 'header.origin',
        })
      if (method === undefined || method === '')
        throw new ApiError('bad_request', 'a CORS preflight needs an Access-Control-Request-Method header', {
          parameter: 'header.access-control-request-method',
        })
      if (!isAny && !byOrigin.has(origin))
        throw new ApiError(
          'origin_not_allowed',
          `origin ${JSON.stringify(origin.slice(0, 200))} is not allowed`,
          {
            parameter: 'header.origin',
          },
        )
      const requestedHeaders = request['access-control-request-headers']
      return {
        ...headersFor(origin),
        'access-control-allow-methods': ALLOWED_METHODS,
        vary: isAny ? 'Access-Control-Request-Headers' : 'Origin, Access-Control-Request-Headers',
        ...(requestedHeaders === undefined ? {} : { 'access-control-allow-headers': requestedHeaders }),
      }
    },
  }
}
