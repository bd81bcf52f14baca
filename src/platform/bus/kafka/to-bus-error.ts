import { AuthenticationError, TimeoutError } from '@platformatic/kafka'
import { QuotecastError, type QuotecastErrorCode } from '../../errors.ts'

const AUTH_ERRORS = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
])

const FENCED_ERRORS = new Set([
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'FENCED_INSTANCE_ID',
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
])

/** The error and everything it wraps: retries nest as AggregateErrors, causes as `cause`. */
function* unwrap(error: unknown, depth = 0): Generator {
  if (depth > 8) return
  yield error
  if (error instanceof AggregateError) {
    for (const inner of error.errors) yield* unwrap(inner, depth + 1)
  }
  if (error instanceof Error && error.cause !== undefined) yield* unwrap(error.cause, depth + 1)
}

function apiIdOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('apiId' in error)) return undefined
  return typeof error.apiId === 'string' ? error.apiId : undefined
}

function classify(error: unknown): QuotecastErrorCode {
  const all = [...unwrap(error)]
  const apiIds = all.map(apiIdOf).filter((id) => id !== undefined)
  if (all.some((inner) => inner instanceof AuthenticationError) || apiIds.some((id) => AUTH_ERRORS.has(id))) {
    return 'BUS_AUTH'
  }
  if (apiIds.some((id) => FENCED_ERRORS.has(id))) return 'BUS_FENCED'
  if (all.some((inner) => inner instanceof TimeoutError)) return 'BUS_TIMEOUT'
  const isNetwork = all.some(
    (inner) =>
      typeof inner === 'object' && inner !== null && 'code' in inner && inner.code === 'PLT_KFK_NETWORK',
  )
  if (isNetwork) return 'BUS_UNAVAILABLE'
  return 'BUS_PROTOCOL'
}

/** The deepest messages say what happened; the outer ones only say that retries ran out. */
function describe(error: unknown): string {
  const messages = [...unwrap(error)]
    .map((inner) => (inner instanceof Error ? inner.message : String(inner)))
    .filter((message, index, all) => message !== '' && all.indexOf(message) === index)
  return messages.slice(-3).join('; ')
}

/** Wraps a client error as a QuotecastError (kept as is when it already is one). */
export function toBusError(error: unknown, action: string): QuotecastError {
  if (error instanceof QuotecastError) return error
  return new QuotecastError(classify(error), `${action}: ${describe(error)}`, { cause: error })
}

/** Runs a client call, turning its failure into a QuotecastError. */
export async function busCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toBusError(error, action)
  }
}
