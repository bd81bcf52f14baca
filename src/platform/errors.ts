/** Every failure the shell reports, by what the caller can do about it. */
export const QUOTECAST_ERROR_CODES = [
  /** The broker cannot be reached (down, restarting, wrong address): retry later. */
  'BUS_UNAVAILABLE',
  /** Authentication or authorisation failed: fix the credentials or ACLs, retrying will not help. */
  'BUS_AUTH',
  /** The broker did not answer in time. */
  'BUS_TIMEOUT',
  /** The broker refused the request (unknown topic, invalid config, ...). */
  'BUS_PROTOCOL',
  /** A rebalance or a newer producer took over: the work is redelivered to whoever owns it now. */
  'BUS_FENCED',
  /** The client was used after `close()`. */
  'BUS_CLOSED',
  /** A call the bus cannot honour as made (e.g. a transaction on a consumer without a group). */
  'BUS_USAGE',
] as const

export type QuotecastErrorCode = (typeof QUOTECAST_ERROR_CODES)[number]

/** The one error class of the shell: a closed list of codes, and the original error as `cause`. */
export class QuotecastError extends Error {
  readonly code: QuotecastErrorCode

  constructor(code: QuotecastErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.name = 'QuotecastError'
    this.code = code
  }

  static is(error: unknown, code?: QuotecastErrorCode): error is QuotecastError {
    return error instanceof QuotecastError && (code === undefined || error.code === code)
  }
}
