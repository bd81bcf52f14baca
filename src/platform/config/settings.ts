import { z } from 'zod'
import { INTERVALS, symbol } from '../../core/contracts/primitives.ts'

const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item).min(1, 'must name at least one'))

const port = z.coerce.number().int().min(0).max(65535)
const positiveInt = z.coerce.number().int().positive()
const bool = z.enum(['true', 'false', '1', '0']).transform((text) => text === 'true' || text === '1')

/**
 * Every setting quotecast reads, with the environment variable and the command-line flag that set it.
 * A flag wins over the environment, which wins over the default. Nothing else reads the environment.
 */
export const SETTINGS = {
  kafka: {
    env: 'KAFKA_BOOTSTRAP_SERVERS',
    flag: 'kafka',
    schema: list(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be HOST:PORT')).optional(),
    describe: 'Kafka bootstrap servers, HOST:PORT[,HOST:PORT]; without it `run` uses the in-process bus',
  },
  kafkaSecurity: {
    env: 'KAFKA_SECURITY_PROTOCOL',
    flag: 'kafka-security',
    schema: z.enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']).default('PLAINTEXT'),
    describe: 'Kafka security protocol',
  },
  kafkaSaslMechanism: {
    env: 'KAFKA_SASL_MECHANISM',
    flag: 'kafka-sasl-mechanism',
    schema: z.enum(['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN']).default('SCRAM-SHA-512'),
    describe: 'SASL mechanism when the protocol is SASL_*',
  },
  kafkaUsername: {
    env: 'KAFKA_SASL_USERNAME',
    flag: 'kafka-username',
    schema: z.string().min(1).optional(),
    describe: 'SASL user name',
  },
  kafkaPassword: {
    env: 'KAFKA_SASL_PASSWORD',
    flag: 'kafka-password',
    schema: z.string().min(1).optional(),
    describe: 'SASL password (prefer the environment or a Secret to the flag)',
    isSecret: true,
  },
  kafkaCaFile: {
    env: 'KAFKA_SSL_CA_FILE',
    flag: 'kafka-ca-file',
    schema: z.string().min(1).optional(),
    describe: 'PEM CA bundle for TLS',
  },
  topicPrefix: {
    env: 'QUOTECAST_TOPIC_PREFIX',
    flag: 'topic-prefix',
    schema: z
      .string()
      .regex(/^[a-zA-Z0-9._-]*$/, 'must contain only letters, digits, ".", "_" and "-"')
      .default(''),
    describe: 'prefix added to every topic name',
  },
  partitions: {
    env: 'QUOTECAST_PARTITIONS',
    flag: 'partitions',
    schema: positiveInt.max(1000).default(6),
    describe: 'partitions per topic',
  },
  symbols: {
    env: 'QUOTECAST_SYMBOLS',
    flag: 'symbols',
    schema: list(symbol).optional(),
    describe: 'comma-separated symbols, e.g. AAPL,^GSPC',
  },
  provider: {
    env: 'QUOTECAST_PROVIDERS',
    flag: 'provider',
    schema: list(z.enum(['replay', 'yahoo', 'stooq', 'alphavantage', 'pse'])).default(['replay']),
    describe: 'providers in failover order: replay, yahoo, stooq, alphavantage, pse',
  },
  interval: {
    env: 'QUOTECAST_INTERVAL',
    flag: 'interval',
    schema: z.enum(INTERVALS).default('1d'),
    describe: 'bar interval',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    describe: 'log level',
  },
  logFormat: {
    env: 'LOG_FORMAT',
    flag: 'log-format',
    schema: z.enum(['json', 'pretty', 'auto']).default('auto'),
    describe: 'json, pretty, or auto (pretty on a terminal)',
  },
  healthPort: {
    env: 'QUOTECAST_HEALTH_PORT',
    flag: 'health-port',
    schema: port.default(9464),
    describe: 'port of /healthz, /readyz and /metrics for background services (0 picks a free port)',
  },
  httpPort: {
    env: 'PORT',
    flag: 'port',
    schema: port.default(8080),
    describe: 'HTTP port of the prediction service and dashboard',
  },
  httpHost: {
    env: 'HOST',
    flag: 'host',
    schema: z.string().min(1).default('0.0.0.0'),
    describe: 'HTTP listen address',
  },
  corsOrigin: {
    env: 'QUOTECAST_CORS_ORIGIN',
    flag: 'cors-origin',
    schema: z.string().min(1).default('*'),
    describe: 'allowed CORS origin',
  },
  rateLimit: {
    env: 'QUOTECAST_RATE_LIMIT',
    flag: 'rate-limit',
    schema: positiveInt.default(600),
    describe: 'API requests per minute per client',
  },
  replaySpeed: {
    env: 'QUOTECAST_REPLAY_SPEED',
    flag: 'replay-speed',
    schema: z.coerce.number().positive().max(1e9).default(20),
    describe: 'replay provider: bars per second',
  },
  alphaVantageKey: {
    env: 'ALPHAVANTAGE_API_KEY',
    flag: 'alphavantage-key',
    schema: z.string().min(1).optional(),
    describe: 'Alpha Vantage API key',
    isSecret: true,
  },
  allowedLatenessMs: {
    env: 'QUOTECAST_ALLOWED_LATENESS_MS',
    flag: 'allowed-lateness-ms',
    schema: z.coerce.number().int().nonnegative().default(0),
    describe: 'how long after a bar ends late quotes are still merged into it (at most one interval)',
  },
  exactlyOnce: {
    env: 'QUOTECAST_EXACTLY_ONCE',
    flag: 'exactly-once',
    schema: bool.default(true),
    describe: 'consume, produce and commit offsets in one Kafka transaction',
  },
  historyBars: {
    env: 'QUOTECAST_HISTORY_BARS',
    flag: 'history-bars',
    schema: positiveInt.max(1_000_000).default(2000),
    describe: 'prediction service: bars and predictions kept in memory per symbol',
  },
} as const satisfies Record<string, Setting>

export interface Setting {
  readonly env: string
  readonly flag: string
  readonly schema: z.ZodType
  readonly describe: string
  readonly isSecret?: boolean
}

export type SettingName = keyof typeof SETTINGS
export type SettingValue<N extends SettingName> = z.output<(typeof SETTINGS)[N]['schema']>
