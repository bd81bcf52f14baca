import type { Socket } from 'node:net'
import type { ClientErrorKind } from '../metrics/create-predictor-metrics.ts'
import { API_ERROR_STATUS, type ApiErrorCode } from './api-error.ts'

const ANSWERS: Readonly<Record<ClientErrorKind, { code: ApiErrorCode; reason: string; message: string }>> = {
  timeout: {
    code: 'request_timeout',
    reason: 'Request Timeout',
    message: 'the request did not arrive in time',
  },
  header_overflow: {
    code: 'headers_too_large',
    reason: 'Request Header Fields Too Large',
    message: 'the request headers are too large',
  },
  malformed: { code: 'bad_request', reason: 'Bad Request', message: 'malformed HTTP request' },
}

const kindOf = (code: unknown): ClientErrorKind =>
  code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? 'timeout'
    : code === 'HPE_HEADER_OVERFLOW'
      ? 'header_overflow'
      : 'malformed'

/**
 * Fastify's `clientErrorHandler`: a request that timed out (headers and body not in within the
 * request timeout), had headers too large, or did not parse is answered with the API's JSON error
 * and its connection closed; `onError` counts it. Nothing is logged: these are the client's doing,
 * and a flood of them must not flood the logs.
 */
export function answerClientError(
  onError: (kind: ClientErrorKind) => void,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const kind = kindOf(error.code)
    onError(kind)
    const answer = ANSWERS[kind]
    const status = API_ERROR_STATUS[answer.code]
    // As Node itself does: no answer once a response has started on this socket.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    if (socket.writable && inFlight?.headersSent !== true) {
      const body = JSON.stringify({ statusCode: status, error: answer.code, message: answer.message })
      socket.write(
        `HTTP/1.1 ${String(status)} ${answer.reason}\r\nconnection: close\r\n` +
          `content-type: application/json; charset=utf-8\r\nx-content-type-options: nosniff\r\n` +
          `content-length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`,
      )
    }
    socket.destroy()
  }
}
