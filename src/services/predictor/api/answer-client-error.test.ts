import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { test } from 'node:test'
import type { ClientErrorKind } from '../metrics/create-predictor-metrics.ts'
import { answerClientError } from './answer-client-error.ts'

/** A socket that records what is written to it and whether it was destroyed. */
function fakeSocket(state: { destroyed?: boolean; headersSent?: boolean } = {}) {
  const written: string[] = []
  const socket = {
    destroyed: state.destroyed ?? false,
    writable: true,
    _httpMessage: state.headersSent === undefined ? undefined : { headersSent: state.headersSent },
    write: (text: string) => written.push(text),
    destroy: () => {
      socket.destroyed = true
    },
  }
  return { socket: socket as unknown as Socket, written, isDestroyed: () => socket.destroyed }
}

const errorWith = (code: string): Error & { code: string } => Object.assign(new Error(code), { code })

test('a timed-out, oversized or malformed request is answered with the JSON error, counted, and closed', () => {
  const cases: [string, ClientErrorKind, string][] = [
    [
      'ERR_HTTP_REQUEST_TIMEOUT',
      'timeout',
      'HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n' +
        'x-content-type-options: nosniff\r\ncontent-length: 91\r\n\r\n' +
        '{"statusCode":408,"error":"request_timeout","message":"the request did not arrive in time"}',
    ],
    ['HPE_HEADER_OVERFLOW', 'header_overflow', '"statusCode":431,"error":"headers_too_large"'],
    ['HPE_INVALID_METHOD', 'malformed', '"statusCode":400,"error":"bad_request"'],
  ]
  for (const [code, kind, answer] of cases) {
    const counted: ClientErrorKind[] = []
    const { socket, written, isDestroyed } = fakeSocket()
    answerClientError((one) => counted.push(one))(errorWith(code), socket)
    assert.deepEqual(counted, [kind])
    assert.equal(written.length, 1)
    assert.ok(written[0]!.includes(answer), `${code}: ${written[0]!}`)
    assert.ok(isDestroyed())
  }
})

test('a reset or destroyed connection is left alone; one whose response started is only closed', () => {
  const counted: ClientErrorKind[] = []
  const answer = answerClientError((one) => counted.push(one))
  const reset = fakeSocket()
  answer(errorWith('ECONNRESET'), reset.socket)
  const gone = fakeSocket({ destroyed: true })
  answer(errorWith('ERR_HTTP_REQUEST_TIMEOUT'), gone.socket)
  assert.deepEqual([counted, reset.written, gone.written, reset.isDestroyed()], [[], [], [], false])
  const started = fakeSocket({ headersSent: true })
  answer(errorWith('ERR_HTTP_REQUEST_TIMEOUT'), started.socket)
  assert.deepEqual([counted, started.written, started.isDestroyed()], [['timeout'], [], true])
})
