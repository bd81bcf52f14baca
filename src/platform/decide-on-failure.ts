import type { Logger } from 'pino'
import { QuotecastError } from './errors.ts'

export type FailureDecision = 'retry' | 'stop'

export interface FailureContext {
  readonly logger: Logger
  readonly retryInMs: number
  /** The log message of a retry: what it does. */
  readonly retrying: string
}

/**
 * What a consuming loop does about a failure, decided in this one place. What a retry can get past
 * (the broker away, a rebalance, a fenced or timed-out transaction, a coordinator moving) is
 * retried. Anything else (refused credentials, a request the broker refuses, a bug) would fail the
 * same way again: the loop stops with it, so that the service exits non-zero where an orchestrator
 * sees it and restarts it. An unreadable record or state never gets here: it is dead-lettered.
 */
export function decideOnFailure(error: unknown, context: FailureContext): FailureDecision {
  const code = error instanceof QuotecastError ? error.code : null
  if (error instanceof QuotecastError && error.isRetriable) {
    context.logger.warn({ err: error, code, retryInMs: context.retryInMs }, context.retrying)
    return 'retry'
  }
  context.logger.error(
    { err: error, code },
    code === null
      ? 'stopped: an unexpected error, which a retry would meet again'
      : `stopped: ${code} cannot be retried`,
  )
  return 'stop'
}
