/** Every way an API request can fail, with the HTTP status each one answers with. */
export const API_ERROR_STATUS = {
  bad_request: 400,
  origin_not_allowed: 403,
  not_found: 404,
  unknown_symbol: 404,
  no_prediction: 404,
  no_model: 404,
  request_timeout: 408,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  unprocessable: 422,
  rate_limited: 429,
  too_many_streams: 429,
  headers_too_large: 431,
  internal: 500,
  not_ready: 503,
} as const

export type ApiErrorCode = keyof typeof API_ERROR_STATUS

/** The one error class of the HTTP layer: a closed list of codes, the parameter at fault, the cause kept. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ApiErrorCode
  readonly statusCode: number
  /** The request parameter at fault, e.g. `symbol`, `limit`, `body.values.ret_1`. */
  readonly parameter: string | undefined
  /** Headers the answer must carry, e.g. a 416's `content-range`. */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { parameter?: string; cause?: unknown; headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.statusCode = API_ERROR_STATUS[code]
    this.parameter = options.parameter
    this.headers = options.headers ?? {}
  }

  static unknownSymbol(symbol: string, parameter = 'symbol'): ApiError {
    return new ApiError('unknown_symbol', `unknown symbol "${symbol}"`, { parameter })
  }
}
