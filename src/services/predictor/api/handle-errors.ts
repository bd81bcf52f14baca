import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ApiError, type ApiErrorCode } from './api-error.ts'
import { createLogLimiter, type LogLimiter } from './create-log-limiter.ts'

interface ValidationIssue {
  readonly instancePath: string
  readonly message?: string
  readonly keyword: string
  readonly params: { readonly keys?: readonly string[] }
}

/** What can be read of anything thrown: Fastify's errors, http-errors (@fastify/send's), or not an Error at all. */
interface ThrownShape {
  readonly statusCode?: unknown
  readonly status?: unknown
  readonly code?: unknown
  readonly message?: unknown
  readonly headers?: unknown
}

const CONTEXT_PREFIX: Readonly<Record<string, string>> = { body: 'body', headers: 'header' }

// Unknown keys come from the client: a 10 KB key or 1,500 of them must not come back whole.
const MAX_PARAMETER_CHARS = 100
const MAX_MESSAGE_CHARS = 200
const cut = (text: string): string =>
  text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text

/** The parameter an issue is about: `limit`, `symbol`, `body.values.r1`, or an unknown key itself. */
function parameterOf(context: string, issue: ValidationIssue): string {
  const path = issue.instancePath.split('/').filter((part) => part.length > 0)
  if (issue.keyword === 'unrecognized_keys' && issue.params.keys?.[0] !== undefined)
    path.push(issue.params.keys[0])
  const prefix = CONTEXT_PREFIX[context]
  return ([...(prefix === undefined ? [] : [prefix]), ...path].join('.') || context).slice(
    0,
    MAX_PARAMETER_CHARS,
  )
}

const STATUS_CODES: Readonly<Record<number, ApiErrorCode>> = {
  404: 'not_found',
  408: 'request_timeout',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  429: 'rate_limited',
  503: 'not_ready',
}

const URL_ERRORS = new Set(['FST_ERR_BAD_URL', 'FST_ERR_MAX_PARAM_LENGTH'])

const statusOf = (thrown: ThrownShape): number => {
  for (const status of [thrown.statusCode, thrown.status])
    if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599)
      return status
  return 500
}

// A 416's content-range ("bytes */5791"), the one header an error passes on to the client.
function contentRangeOf(thrown: ThrownShape): Record<string, string> {
  if (typeof thrown.headers !== 'object' || thrown.headers === null) return {}
  const value = (thrown.headers as Record<string, unknown>)['Content-Range']
  return typeof value === 'string' && /^bytes \*\/\d+$/.test(value) ? { 'content-range': value } : {}
}

/** Any error thrown while serving a request, as the one ApiError the client sees. Never leaks a 5xx's details. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'request'
    const issue = error.validation[0] as unknown as ValidationIssue
    const parameter = parameterOf(context, issue)
    return new ApiError('bad_request', `${parameter}: ${cut(issue.message ?? 'is invalid')}`, {
      parameter,
      cause: error,
    })
  }
  const thrown: ThrownShape = typeof error === 'object' && error !== null ? error : {}
  const status = statusOf(thrown)
  if (status >= 500) return new ApiError('internal', 'internal error', { cause: error })
  if (status === 412)
    return new ApiError(
      'precondition_failed',
      'If-Match or If-Unmodified-Since does not hold for this file',
      {
        cause: error,
      },
    )
  if (status === 416)
    return new ApiError('range_not_satisfiable', 'the range is not within the file, or is invalid', {
      parameter: 'header.range',
      cause: error,
      headers: contentRangeOf(thrown),
    })
  const code = typeof thrown.code === 'string' ? thrown.code : ''
  const parameter = code.startsWith('FST_ERR_CTP_') ? 'body' : URL_ERRORS.has(code) ? 'url' : undefined
  const message = typeof thrown.message === 'string' ? thrown.message.slice(0, 300) : 'bad request'
  return new ApiError(STATUS_CODES[status] ?? 'bad_request', message, {
    ...(parameter === undefined ? {} : { parameter }),
    cause: error,
  })
}

/** Sends whatever was thrown as the API's JSON error body. Never throws. */
export type ErrorResponder = (request: FastifyRequest, reply: FastifyReply, error: unknown) => void

/**
 * The one place where errors become HTTP responses: a JSON body with a code, a message and the
 * parameter at fault. A 5xx is logged at error level with its cause; a 4xx at debug level, with
 * no stack. Each kind writes at most `logLimit.max` lines per `logLimit.windowMs`, the next line
 * saying how many it stands for.
 */
export function createErrorResponder(
  options: { logLimit?: { max: number; windowMs: number }; now?: () => number } = {},
): ErrorResponder {
  const now = options.now ?? Date.now
  const logLimit = options.logLimit ?? { max: 10, windowMs: 10_000 }
  const serverErrors: LogLimiter = createLogLimiter(logLimit)
  const clientErrors: LogLimiter = createLogLimiter(logLimit)

  const log = (request: FastifyRequest, error: ApiError): void => {
    const isServerError = error.statusCode >= 500
    const permit = (isServerError ? serverErrors : clientErrors).take(now())
    if (!permit.isAllowed) return
    const line = {
      reqId: request.id,
      method: request.method,
      url: request.url.slice(0, 200),
      statusCode: error.statusCode,
      ...(permit.suppressed > 0 ? { suppressed: permit.suppressed } : {}),
    }
    if (isServerError) request.log.error({ ...line, err: error.cause ?? error }, 'request failed')
    else request.log.debug({ ...line, error: error.code, message: error.message }, 'request refused')
  }

  return (request, reply, thrown) => {
    try {
      if (reply.raw.headersSent || reply.sent) {
        // Too late for an error body (a stream failed after its headers): end the connection.
        reply.raw.destroy()
        return
      }
      const error = toApiError(thrown)
      log(request, error)
      void reply.headers(error.headers)
      if (error.code === 'not_ready') void reply.header('retry-after', '1')
      void reply
        .code(error.statusCode)
        .type('application/json; charset=utf-8')
        .send({
          statusCode: error.statusCode,
          error: error.code,
          message: error.message,
          ...(error.parameter === undefined ? {} : { parameter: error.parameter }),
        })
    } catch {
      reply.raw.destroy()
    }
  }
}

/**
 * Routes the app's errors and unknown routes to `respond`. (Errors raised before routing, such as
 * a malformed URL, reach it through the app's `frameworkErrors` option.)
 */
export function registerErrorHandling(app: FastifyInstance, respond: ErrorResponder): void {
  app.setErrorHandler((error, request, reply) => {
    respond(request, reply, error)
  })
  app.setNotFoundHandler((request, reply) => {
    respond(
      request,
      reply,
      new ApiError(
        'not_found',
        `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
      ),
    )
  })
}
