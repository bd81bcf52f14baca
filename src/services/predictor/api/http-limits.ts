import type { Config } from '../../../platform/config/load-config.ts'

/** How much of the prediction service one client, or all of them, can hold. The settings set them. */
export interface HttpLimits {
  /** SSE streams open at once; past it a new one is answered 429 `too_many_streams`. */
  readonly streamMaxClients: number
  /** Bytes a stream client may leave unread in this process before it is dropped. */
  readonly streamClientBufferBytes: number
  /** A request's headers and body must arrive within this, or it is answered 408 and closed. */
  readonly requestTimeoutMs: number
  /** Connections open at once; past it a new one is closed on arrival. */
  readonly maxConnections: number
}

/**
 * The defaults of `--stream-max-clients`, `--stream-client-buffer-kib`, `--http-request-timeout-sec`
 * and `--http-max-connections`. Together at most ≈ 1,000 × 128 KiB = 125 MiB wait for slow stream
 * clients, well under the pod's 512 MiB.
 */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  streamMaxClients: 1000,
  streamClientBufferBytes: 128 * 1024,
  requestTimeoutMs: 30_000,
  maxConnections: 2000,
}

/** The settings of the limits, for a command's list of settings. */
export const HTTP_LIMIT_SETTINGS = [
  'streamMaxClients',
  'streamClientBufferKib',
  'httpRequestTimeoutSec',
  'httpMaxConnections',
] as const

/** The limits a command's settings give. */
export function httpLimitsOf(config: Config<(typeof HTTP_LIMIT_SETTINGS)[number]>): HttpLimits {
  return {
    streamMaxClients: config.streamMaxClients,
    streamClientBufferBytes: config.streamClientBufferKib * 1024,
    requestTimeoutMs: config.httpRequestTimeoutSec * 1000,
    maxConnections: config.httpMaxConnections,
  }
}
