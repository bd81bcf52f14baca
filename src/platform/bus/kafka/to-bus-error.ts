import {
  AuthenticationError,
  NetworkError,
  TimeoutError,
  findErrorBy,
  type GenericError,
} from '@platformatic/kafka'
import { QuotecastError, type QuotecastErrorCode } from '../../errors.ts'

const AUTH_ERRORS = [
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]

/**
 * A transaction that died with its producer: the client cannot retry these (`canRetry: false`),
 * but a new producer, whose InitProducerId fences the old one, takes up from the last commit.
 */
const TRANSACTION_LOST_ERRORS = [
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_ID_MAPPING',
  'INVALID_TXN_STATE',
  'TRANSACTION_ABORTABLE',
  'UNKNOWN_PRODUCER_ID',
  'TRANSACTION_COORDINATOR_FENCED',
]

const findApiError = (error: Error, apiIds: readonly string[]): GenericError | null =>
  apiIds.reduce<GenericError | null>((found, id) => found ?? findErrorBy(error, 'apiId', id), null)

/** A failed connection keeps what failed it (SASL, TLS) as `cause`, which `findBy` does not follow. */
const connectionCause = (error: Error): Error | null => {
  const cause = findErrorBy(error, 'code', NetworkError.code)?.cause
  return cause instanceof Error ? cause : null
}

/**
 * The client's own marks, read with its `findBy` over the nested errors, in order: the first rule
 * that finds an error gives the code, and that error is named in the message.
 */
const RULES: readonly (readonly [QuotecastErrorCode, (error: Error) => GenericError | null])[] = [
  ['BUS_CLOSED', (error) => findErrorBy(error, 'closed', true)],
  [
    'BUS_AUTH',
    (error) =>
      findErrorBy(error, 'code', AuthenticationError.code) ??
      findErrorBy(connectionCause(error), 'code', AuthenticationError.code) ??
      findApiError(error, AUTH_ERRORS),
  ],
  // A commit of an older generation: the member is still in the group, which has moved on.
  ['BUS_REBALANCED', (error) => findApiError(error, ['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS'])],
  [
    'BUS_FENCED',
    (error) =>
      findErrorBy(error, 'needsRejoin', true) ??
      findErrorBy(error, 'producerFenced', true) ??
      findApiError(error, TRANSACTION_LOST_ERRORS),
  ],
  // A TimeoutError carries the network code: only its class tells it apart.
  ['BUS_TIMEOUT', (error) => findErrorBy(error, 'constructor', TimeoutError)],
  ['BUS_UNAVAILABLE', (error) => findErrorBy(error, 'code', NetworkError.code)],
  // The broker's "try again" (a coordinator loading or moved, a transaction still completing),
  // unless something in the chain says a retry cannot help: the client's own rule.
  [
    'BUS_UNAVAILABLE',
    (error) => (findErrorBy(error, 'canRetry', false) === null ? findErrorBy(error, 'canRetry', true) : null),
  ],
]

function classify(error: Error): { code: QuotecastErrorCode; decisive: Error } {
  for (const [code, find] of RULES) {
    const decisive = find(error)
    if (decisive !== null) return { code, decisive }
  }
  return { code: 'BUS_PROTOCOL', decisive: findErrorBy(error, 'canRetry', false) ?? error }
}

/** The outer message says what failed and how often; the decisive one why, with its cause. */
function describe(error: Error, decisive: Error): string {
  const server: unknown = 'serverErrorMessage' in decisive ? decisive.serverErrorMessage : undefined
  const messages = [
    error.message,
    decisive.message,
    typeof server === 'string' ? server : '',
    decisive.cause instanceof Error ? decisive.cause.message : '',
  ]
  return messages.filter((message, index) => message !== '' && messages.indexOf(message) === index).join('; ')
}

/** Wraps a client error as a QuotecastError (kept as is when it already is one). */
export function toBusError(error: unknown, action: string): QuotecastError {
  if (error instanceof QuotecastError) return error
  const thrown = error instanceof Error ? error : new Error(String(error))
  const { code, decisive } = classify(thrown)
  return new QuotecastError(code, `${action}: ${describe(thrown, decisive)}`, { cause: error })
}

/** Runs a client call, turning its failure into a QuotecastError. */
export async function busCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toBusError(error, action)
  }
}
