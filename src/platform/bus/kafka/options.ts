import {
  FetchIsolationLevels,
  findErrorBy,
  type BaseOptions,
  type ConsumerOptions,
} from '@platformatic/kafka'
import type { ConnectionOptions } from 'node:tls'
import type { Logger } from '../../logger/create-logger.ts'

export type BusLogger = Pick<Logger, 'debug' | 'info' | 'warn'>

export interface KafkaSasl {
  readonly mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN'
  readonly username: string
  readonly password: string
}

export interface KafkaBusOptions {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  /**
   * A stable name for this process, unique among the running ones. With it, consumers join their
   * groups as static members (group.instance.id) and transactional ids derive from it, so a
   * restarted process takes its partitions back without a rebalance and fences (aborts) the
   * transaction its predecessor left open, instead of both waiting for timeouts.
   */
  readonly instanceId?: string
  readonly tls?: ConnectionOptions
  readonly sasl?: KafkaSasl
  readonly logger?: BusLogger
  /** Default 5000. */
  readonly connectTimeoutMs?: number
  /** Also the transaction timeout. Default 30000. */
  readonly requestTimeoutMs?: number
  /**
   * Retries of a failed request, with a backoff from 100 ms doubling to 2 s. The default, 20, rides
   * out a broker restart of about 30 s before an operation fails. Producers retry at least twice.
   */
  readonly retries?: number
  /** Group session timeout; the broker's group.min.session.timeout.ms (6 s by default) bounds it. Default 10000. */
  readonly sessionTimeoutMs?: number
  /** Heartbeats also tell a member that a rebalance started. Default 1000. */
  readonly heartbeatIntervalMs?: number
}

export interface ResolvedKafkaBusOptions {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  readonly instanceId: string | undefined
  readonly tls: ConnectionOptions | undefined
  readonly sasl: KafkaSasl | undefined
  readonly logger: BusLogger | undefined
  readonly connectTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly retries: number
  readonly sessionTimeoutMs: number
  readonly heartbeatIntervalMs: number
}

export function resolveKafkaBusOptions(options: KafkaBusOptions): ResolvedKafkaBusOptions {
  if (options.bootstrapServers.length === 0) throw new Error('KafkaBus needs at least one bootstrap server')
  return {
    bootstrapServers: options.bootstrapServers,
    clientId: options.clientId,
    instanceId: options.instanceId,
    tls: options.tls,
    sasl: options.sasl,
    logger: options.logger,
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    retries: options.retries ?? 20,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
  }
}

/**
 * How long a retry waits: 100 ms doubling to 2 s, except after CONCURRENT_TRANSACTIONS. That one
 * answers the next transaction's AddPartitionsToTxn while the broker still writes the previous
 * transaction's markers, a few milliseconds; the Java producer retries it after 20 ms. At 100 ms
 * it added a tenth of a second to most transactions of a busy stage.
 */
const backoffMs = (
  _client: unknown,
  _operation: string,
  attempt: number,
  _retries: number,
  error: Error,
): number =>
  findErrorBy(error, 'apiId', 'CONCURRENT_TRANSACTIONS') === null
    ? Math.min(100 * 2 ** Math.max(0, attempt - 1), 2000)
    : Math.min(5 * 2 ** Math.max(0, attempt - 1), 100)

/** What every client of the bus shares: brokers, security, timeouts and retries. */
export function baseClientOptions(
  options: ResolvedKafkaBusOptions,
  role: 'admin' | 'consumer' | 'reader' | 'producer' | 'transactions',
): BaseOptions {
  const isProducer = role === 'producer' || role === 'transactions'
  return {
    clientId: `${options.clientId}-${role}`,
    bootstrapBrokers: [...options.bootstrapServers],
    connectTimeout: options.connectTimeoutMs,
    timeout: options.requestTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // An idempotent producer given 0 or 1 retries silently retries forever instead.
    retries: isProducer ? Math.max(2, options.retries) : options.retries,
    retryDelay: backoffMs,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.sasl === undefined ? {} : { sasl: { ...options.sasl } }),
  }
}

/** A consumer that commits only when told, reads committed data only, and heartbeats in the background. */
export function consumerClientOptions(
  options: ResolvedKafkaBusOptions,
  groupId: string,
): ConsumerOptions<Buffer, Buffer, Buffer, Buffer> {
  return {
    ...baseClientOptions(options, 'consumer'),
    groupId,
    ...(options.instanceId === undefined ? {} : { groupInstanceId: options.instanceId }),
    autocommit: false,
    sessionTimeout: options.sessionTimeoutMs,
    rebalanceTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
  }
}
