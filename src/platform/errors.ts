/** Every failure the shell reports, by what the caller can do about it. */
export const QUOTECAST_ERROR_CODES = [
  /**
   * The broker is away or said to try again (down, restarting, a leader or coordinator moving, a
   * transaction still finishing): retry later.
   */
  'BUS_UNAVAILABLE',
  /** Authentication or authorisation failed: fix the credentials or ACLs, retrying will not help. */
  'BUS_AUTH',
  /** The broker did not answer in time: retry later. */
  'BUS_TIMEOUT',
  /** The broker refused the request (record too large, invalid config, a broker too old, ...). */
  'BUS_PROTOCOL',
  /**
   * A topic the service reads or writes does not exist (yet): `quotecast topics`, or the topics Job
   * that a Kubernetes install starts beside the services, creates it. Retried, as Kafka's own
   * clients retry UNKNOWN_TOPIC_OR_PARTITION, so that the install's start order does not matter.
   */
  'BUS_UNKNOWN_TOPIC',
  /**
   * A rebalance or a newer producer took over, or the transaction died with its producer: a new
   * consumer and producer take up from the last commit.
   */
  'BUS_FENCED',
  /**
   * The group moved to a new generation since the consumer's last poll, so its commit was refused:
   * the transaction is aborted and the consumer put back to its committed offsets, still a member;
   * its next poll follows the rebalance.
   */
  'BUS_REBALANCED',
  /** The client was used after `close()`. */
  'BUS_CLOSED',
  /** A call the bus cannot honour as made (e.g. a transaction on a consumer without a group). */
  'BUS_USAGE',
] as const

export type QuotecastErrorCode = (typeof QUOTECAST_ERROR_CODES)[number]

/** The codes of failures that the same work, done again from the last commit, can get past. */
const RETRIABLE_CODES: ReadonlySet<QuotecastErrorCode> = new Set([
  'BUS_UNAVAILABLE',
  'BUS_TIMEOUT',
  'BUS_FENCED',
  'BUS_REBALANCED',
  'BUS_UNKNOWN_TOPIC',
])

/** The one error class of the shell: a closed list of codes, and the original error as `cause`. */
export class QuotecastError extends Error {
  readonly code: QuotecastErrorCode

  constructor(code: QuotecastErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.name = 'QuotecastError'
    this.code = code
  }

  /** Whether doing the work again, after a wait, can succeed. */
  get isRetriable(): boolean {
    return RETRIABLE_CODES.has(this.code)
  }

  static is(error: unknown, code?: QuotecastErrorCode): error is QuotecastError {
    return error instanceof QuotecastError && (code === undefined || error.code === code)
  }
}

/** Whether a retry can help: only a QuotecastError says so; anything else is a bug, met again on retry. */
export function isRetriable(error: unknown): boolean {
  return error instanceof QuotecastError && error.isRetriable
}
