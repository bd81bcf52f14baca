import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  AuthenticationError,
  MultipleErrors,
  NetworkError,
  ProtocolError,
  ResponseError,
  TimeoutError,
  UnsupportedApiError,
  protocolErrors,
} from '@platformatic/kafka'
import { QuotecastError, isRetriable } from '../../errors.ts'
import { toBusError } from './to-bus-error.ts'

/** The broker's answer with these errors, as the client reports it after `attempts` tries. */
function answered(ids: readonly string[], attempts = 1): Error {
  const errors = Object.fromEntries(
    ids.map((id, index) => [`/topics/${index}`, [protocolErrors[id]!.code, null] as [number, null]]),
  )
  const response = new ResponseError(0, 9, errors, {})
  if (attempts === 1) return response
  return new MultipleErrors(`produce failed ${attempts} times.`, Array(attempts).fill(response) as Error[])
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })

const cases: readonly (readonly [string, unknown, string, boolean])[] = [
  [
    'a broker away, after the retries',
    new MultipleErrors('metadata failed 3 times.', [
      new NetworkError('Connection to 127.0.0.1:9 failed.', { cause: refused }),
      new NetworkError('Connection to 127.0.0.1:9 failed.', { cause: refused }),
    ]),
    'BUS_UNAVAILABLE',
    true,
  ],
  [
    'a request timed out',
    new MultipleErrors('fetch failed 2 times.', [new TimeoutError('Request timed out.')]),
    'BUS_TIMEOUT',
    true,
  ],
  ['a rebalance', answered(['REBALANCE_IN_PROGRESS']), 'BUS_REBALANCED', true],
  ['an unknown member', answered(['UNKNOWN_MEMBER_ID']), 'BUS_FENCED', true],
  ['a stale generation', answered(['ILLEGAL_GENERATION']), 'BUS_REBALANCED', true],
  ['a newer producer', answered(['PRODUCER_FENCED']), 'BUS_FENCED', true],
  ['a fenced epoch', new ProtocolError('INVALID_PRODUCER_EPOCH'), 'BUS_FENCED', true],
  ['a transaction lost with its producer', answered(['INVALID_TXN_STATE']), 'BUS_FENCED', true],
  [
    'a concurrent transaction, retried out',
    answered(['CONCURRENT_TRANSACTIONS'], 3),
    'BUS_UNAVAILABLE',
    true,
  ],
  ['a coordinator move', answered(['NOT_COORDINATOR']), 'BUS_UNAVAILABLE', true],
  ['a coordinator loading', answered(['COORDINATOR_LOAD_IN_PROGRESS']), 'BUS_UNAVAILABLE', true],
  ['a record too large', answered(['MESSAGE_TOO_LARGE']), 'BUS_PROTOCOL', false],
  [
    'a retriable error beside a final one',
    answered(['NOT_COORDINATOR', 'INVALID_CONFIG']),
    'BUS_PROTOCOL',
    false,
  ],
  [
    'a broker too old',
    new UnsupportedApiError('the broker has no TxnOffsetCommit API'),
    'BUS_PROTOCOL',
    false,
  ],
  ['a missing ACL', answered(['TOPIC_AUTHORIZATION_FAILED']), 'BUS_AUTH', false],
  [
    'refused credentials, wrapped as the cause of a failed connection',
    new NetworkError('Connection to 127.0.0.1:9 failed.', {
      cause: new AuthenticationError('SASL authentication failed.'),
    }),
    'BUS_AUTH',
    false,
  ],
  [
    'a closed client',
    new NetworkError('Client is closed.', { canRetry: false, closed: true }),
    'BUS_CLOSED',
    false,
  ],
  ['an error that is not the client’s', new TypeError('x is not a function'), 'BUS_PROTOCOL', false],
  ['a thrown string', 'boom', 'BUS_PROTOCOL', false],
]

test('a client error gets the code of what a retry can do about it', () => {
  for (const [name, error, code, isRetriableCode] of cases) {
    const busError = toBusError(error, 'producing to quotes')
    assert.deepEqual(
      [name, busError.code, busError.isRetriable, isRetriable(busError)],
      [name, code, isRetriableCode, isRetriableCode],
    )
    assert.equal(busError.cause, error, name)
    assert.match(busError.message, /^producing to quotes: /, name)
  }
})

test('the message names the decisive error and its cause', () => {
  const error = new MultipleErrors('metadata failed 2 times.', [
    new NetworkError('Connection to 127.0.0.1:9 failed.', { cause: refused }),
  ])
  assert.equal(
    toBusError(error, 'producing to quotes').message,
    'producing to quotes: metadata failed 2 times.; Connection to 127.0.0.1:9 failed.; connect ECONNREFUSED 127.0.0.1:9',
  )
  assert.equal(
    toBusError(answered(['MESSAGE_TOO_LARGE']), 'producing to quotes').message,
    `producing to quotes: Received response with error while executing API Produce(v9); ${protocolErrors.MESSAGE_TOO_LARGE!.message}`,
  )
})

test('a QuotecastError is kept as it is', () => {
  const error = new QuotecastError('BUS_USAGE', 'transactions need a consumer with a groupId')
  assert.equal(toBusError(error, 'beginning a transaction'), error)
  assert.equal(error.isRetriable, false)
})

test('only a QuotecastError with a retriable code is retriable', () => {
  assert.equal(isRetriable(new QuotecastError('BUS_TIMEOUT', 'late')), true)
  assert.equal(isRetriable(new QuotecastError('BUS_AUTH', 'who?')), false)
  assert.equal(isRetriable(new NetworkError('Connection failed.')), false)
  assert.equal(isRetriable(undefined), false)
})
