import type { Logger } from 'pino'
import { QuotecastError } from '../errors.ts'

export type FailureDecision = 'retry' | 'stop'

/**
 * What a stage does about a failure, decided in this one place. What a retry can get past (the
 * broker away, a rebalance, a fenced or timed-out transaction, a coordinator moving) is retried
 * from the last commit. Anything else (refused credentials, a request the broker refuses, a bug)
 * would fail the same way again: the stage stops, so that the service exits non-zero where an
 * orchestrator sees it and restarts it. An unreadable record or state never gets here: the stage
 * dead-letters it.
 */
export function decideOnFailure(error: unknown, logger: Logger, retryInMs: number): FailureDecision {
  const code = error instanceof QuotecastError ? error.code : null
  if (error instanceof QuotecastError && error.isRetriable) {
    logger.warn({ err: error, code, retryInMs }, 'consumer failed: restoring state from the last commit')
    return 'retry'
  }
  logger.error(
    { err: error, code },
    code === null
      ? 'stage stopped: an unexpected error, which a retry would meet again'
      : `stage stopped: ${code} cannot be retried`,
  )
  return 'stop'
}
