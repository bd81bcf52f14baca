import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ApiError, type ApiErrorCode } from './api-error.ts'

interface ValidationIssue {
  readonly instancePath: string
  readonly message?: string
  readonly keyword: string
  readonly params: { readonly keys?: readonly string[] }
}

const CONTEXT_PREFIX: Readonly<Record<string, string>> = { body: 'body', headers: 'header' }

/** The parameter an issue is about: `limit`, `symbol`, `body.values.r1`, or an unknown key itself. */
function parameterOf(context: string, issue: ValidationIssue): string {
  const path = issue.instancePath.split('/').filter((part) => part.length > 0)
  if (issue.keyword === 'unrecognized_keys' && issue.params.keys?.[0] !== undefined)
    path.push(issue.params.keys[0])
  const prefix = CONTEXT_PREFIX[context]
  return [...(prefix === undefined ? [] : [prefix]), ...path].join('.') || context
}

const STATUS_CODES: Readonly<Record<number, ApiErrorCode>> = {
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'not_ready',
}

const URL_ERRORS = new Set(['FST_ERR_BAD_URL', 'FST_ERR_MAX_PARAM_LENGTH'])

/** Any error thrown while serving a request, as the one ApiError the client sees. Never leaks a 5xx's details. */
export function toApiError(error: FastifyError): ApiError {
  if (error instanceof ApiError) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'request'
    const issue = error.validation[0] as unknown as ValidationIssue
    const parameter = parameterOf(context, issue)
    return new ApiError('bad_request', `${parameter}: ${issue.message ?? 'is invalid'}`, {
      parameter,
      cause: error,
    })
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    const parameter = error.code.startsWith('FST_ERR_CTP_')
      ? 'body'
      : URL_ERRORS.has(error.code)
        ? 'url'
        : undefined
    return new ApiError(STATUS_CODES[status] ?? 'bad_request', error.message, {
      ...(parameter === undefined ? {} : { parameter }),
      cause: error,
    })
  }
  return new ApiError('internal', 'internal error', { cause: error })
}

/** Sends an error as the API's JSON error body; 5xx are logged with their cause, and their details stay here. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.statusCode >= 500)
    request.log.error({ reqId: request.id, err: error.cause ?? error }, 'request failed')
  if (error.code === 'not_ready') void reply.header('retry-after', '1')
  return reply
    .code(error.statusCode)
    .type('application/json; charset=utf-8')
    .send({
      statusCode: error.statusCode,
      error: error.code,
      message: error.message,
      ...(error.parameter === undefined ? {} : { parameter: error.parameter }),
    })
}

/**
 * The one place where errors become HTTP responses: a JSON body with a code, a message and the
 * parameter at fault. (Errors raised before routing, such as a malformed URL, reach `sendError`
 * through the app's `frameworkErrors` option.)
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(request, reply, toApiError(error)))
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new ApiError(
        'not_found',
        `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
      ),
    ),
  )
}
