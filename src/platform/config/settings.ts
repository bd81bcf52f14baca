import { isIP } from 'node:net'
import { z } from 'zod'
import { INTERVALS, symbol } from '../../core/contracts/primitives.ts'
import { parseExtraClosures } from '../../core/schedule/parse-extra-closures.ts'

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

/** A whole number written in decimal digits only: no exponent, hex, sign, fraction or spaces. */
const decimalInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
/** A plain decimal number, e.g. 4 or 0.5. */
const decimal = z
  .string()
  .regex(/^\d{1,16}(\.\d{1,16})?$/, 'must be a plain decimal number, e.g. 4 or 0.5')
  .transform(Number)

const port = decimalInt(0, 65535)
const positiveInt = (max = Number.MAX_SAFE_INTEGER) => decimalInt(1, max)
const nonNegativeInt = (max = Number.MAX_SAFE_INTEGER) => decimalInt(0, max)
/** A host name or IP address to listen on; whether it resolves to a local address is checked at start. */
const listenHost = z.string().regex(/^[a-zA-Z0-9.:_%-]{1,253}$/, 'must be a host name or an IP address')
function isAddressOrCidr(text: string): boolean {
  const [address = '', bits, ...rest] = text.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
}
/** HOST:PORT of a Kafka broker, the port in 1…65535. */
const brokerAddress = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$/, 'must be HOST:PORT')
  .refine((text) => {
    const port = Number(text.slice(text.lastIndexOf(':') + 1))
    return port >= 1 && port <= 65535
  }, 'the port must be 1 to 65535')
const bool = z.enum(['true', 'false', '1', '0']).transform((text) => text === 'true' || text === '1')

/** A calendar date, YYYY-MM-DD, as epoch ms of its 00:00 UTC. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((text) => {
    const ms = Date.parse(`${text}T00:00:00Z`)
    return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text)
  }, 'must be a real calendar date')
  .transform((text) => Date.parse(`${text}T00:00:00Z`))
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''))

/**
 * Every setting quotecast reads, with the environment variable and the command-line flag that set it.
 * A flag wins over the environment, which wins over the default. Nothing else reads the environment.
 */
export const SETTINGS = {
  kafka: {
    env: 'KAFKA_BOOTSTRAP_SERVERS',
    flag: 'kafka',
    schema: list(brokerAddress).optional(),
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
  instanceId: {
    env: 'QUOTECAST_INSTANCE_ID',
    flag: 'instance-id',
    schema: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,200}$/, 'must be 1 to 200 letters, digits, ".", "_" and "-"')
      .optional(),
    describe:
      'stable name of this instance, unique among the running ones (e.g. the pod name): a restart takes over its group membership and aborts its unfinished transaction at once',
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
    schema: positiveInt(1000).default(6),
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
  summaryEverySec: {
    env: 'QUOTECAST_SUMMARY_EVERY_SEC',
    flag: 'summary-every-sec',
    schema: nonNegativeInt(86_400).default(30),
    describe:
      'seconds between the "work summary" log lines of a service (records in and out, dead letters, lag); 0: only at stop',
  },
  stockDetailsTopic: {
    env: 'QUOTECAST_STOCK_DETAILS_TOPIC',
    flag: 'stock-details-topic',
    schema: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,200}$/, 'must be 1 to 200 letters, digits, ".", "_" and "-"')
      .default('stock-details'),
    describe:
      "bridge: the topic of the original project's stock-details messages (after --topic-prefix, like every topic)",
  },
  healthPort: {
    env: 'QUOTECAST_HEALTH_PORT',
    flag: 'health-port',
    schema: port.default(9464),
    describe: 'port of /healthz, /readyz and /metrics for background services (0 picks a free port)',
  },
  healthHost: {
    env: 'QUOTECAST_HEALTH_HOST',
    flag: 'health-host',
    schema: listenHost.default('127.0.0.1'),
    describe:
      'listen address of the health port (and of serve --metrics-port); 0.0.0.0 for probes and scrapers from outside (containers)',
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
    schema: listenHost.default('127.0.0.1'),
    describe: 'HTTP listen address; 0.0.0.0 to accept connections from other machines (containers)',
  },
  metricsPort: {
    env: 'QUOTECAST_METRICS_PORT',
    flag: 'metrics-port',
    schema: port.optional(),
    describe:
      'serve: answer /metrics on this port (at --health-host) instead of the public HTTP port, which an Ingress routes',
  },
  corsOrigin: {
    env: 'QUOTECAST_CORS_ORIGIN',
    flag: 'cors-origin',
    schema: z
      .string()
      .refine(
        (text) =>
          text
            .split(',')
            .map((part) => part.trim())
            .every((part) => part === '*' || /^https?:\/\/[^\s/?#]+$/.test(part)),
        'must be *, or origins such as https://quotecast.example.com, comma-separated',
      )
      .default('*'),
    describe: 'allowed CORS origin: *, or origins such as https://quotecast.example.com, comma-separated',
  },
  trustProxy: {
    env: 'QUOTECAST_TRUST_PROXY',
    flag: 'trust-proxy',
    schema: list(
      z.string().refine(isAddressOrCidr, 'must be IP addresses or CIDR ranges, e.g. 10.0.0.0/8,fd00::/8'),
    ).optional(),
    describe:
      'addresses or CIDR ranges of the reverse proxies (the Ingress controller) whose X-Forwarded-For names the client, for the rate limit; default: none, the socket address is the client',
  },
  rateLimit: {
    env: 'QUOTECAST_RATE_LIMIT',
    flag: 'rate-limit',
    schema: positiveInt().default(600),
    describe: 'API requests per minute per client',
  },
  replaySpeed: {
    env: 'QUOTECAST_REPLAY_SPEED',
    flag: 'replay-speed',
    schema: decimal.pipe(z.number().positive().max(1e9)).default(4),
    describe: 'replay provider: bars per second',
  },
  liveBars: {
    env: 'QUOTECAST_LIVE_BARS',
    flag: 'live-bars',
    schema: nonNegativeInt().default(500),
    describe:
      'quotecast run: bars per symbol replayed live at --replay-speed; the history before them is published at once',
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
    schema: nonNegativeInt().default(0),
    describe: 'how long after a bar ends late quotes are still merged into it (at most one interval)',
  },
  closeOnClock: {
    env: 'QUOTECAST_CLOSE_ON_CLOCK',
    flag: 'close-on-clock',
    schema: bool.default(false),
    describe:
      'also close every open bar, however old, when the wall clock passes its end (an override; not for replays)',
  },
  closeOnSession: {
    env: 'QUOTECAST_CLOSE_ON_SESSION',
    flag: 'close-on-session',
    schema: bool.default(true),
    describe: "close a recent bar at its session's close plus --close-grace-sec on the wall clock (live)",
  },
  closeGraceSec: {
    env: 'QUOTECAST_CLOSE_GRACE_SEC',
    flag: 'close-grace-sec',
    schema: nonNegativeInt(86_400).default(1200),
    describe: "how long after the session's close a day's bar waits for its last quotes (seconds)",
  },
  extraClosures: {
    env: 'QUOTECAST_EXTRA_CLOSURES',
    flag: 'extra-closures',
    schema: z
      .string()
      .transform((text, context) => {
        const parsed = parseExtraClosures(text)
        if (parsed.ok) return parsed.value
        context.addIssue({ code: 'custom', message: parsed.error })
        return z.NEVER
      })
      .optional(),
    describe:
      'days an exchange is closed beyond its calendar, EXCHANGE:YYYY-MM-DD[,…], e.g. US:2025-01-09,PSE:2025-07-24',
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
    schema: positiveInt(1_000_000).default(2000),
    describe: 'prediction service: bars and predictions kept in memory per symbol',
  },
  streamMaxClients: {
    env: 'QUOTECAST_STREAM_MAX_CLIENTS',
    flag: 'stream-max-clients',
    schema: positiveInt(100_000).default(1000),
    describe: 'prediction service: live streams open at once; past it a new one is answered 429',
  },
  streamClientBufferKib: {
    env: 'QUOTECAST_STREAM_CLIENT_BUFFER_KIB',
    flag: 'stream-client-buffer-kib',
    schema: positiveInt(65_536).default(128),
    describe: 'prediction service: KiB a live-stream client may leave unread before it is dropped',
  },
  httpRequestTimeoutSec: {
    env: 'QUOTECAST_HTTP_REQUEST_TIMEOUT_SEC',
    flag: 'http-request-timeout-sec',
    schema: positiveInt(3600).default(30),
    describe: "prediction service: seconds for a request's headers and body to arrive, else 408",
  },
  httpMaxConnections: {
    env: 'QUOTECAST_HTTP_MAX_CONNECTIONS',
    flag: 'http-max-connections',
    schema: positiveInt(1_000_000).default(2000),
    describe: 'prediction service: connections open at once; past it a new one is closed on arrival',
  },
  requestTimeoutMs: {
    env: 'QUOTECAST_REQUEST_TIMEOUT_MS',
    flag: 'request-timeout-ms',
    schema: positiveInt(600_000).default(10_000),
    describe: 'fetcher: deadline of one HTTP request to a provider',
  },
  retries: {
    env: 'QUOTECAST_RETRIES',
    flag: 'retries',
    schema: nonNegativeInt(10).default(3),
    describe:
      'fetcher: retries of a transient provider failure (5xx, timeout, connection error, short rate limit)',
  },
  maxRetryWaitMs: {
    env: 'QUOTECAST_MAX_RETRY_WAIT_MS',
    flag: 'max-retry-wait-ms',
    schema: nonNegativeInt(3_600_000).default(60_000),
    describe: 'fetcher: the longest Retry-After (or request-budget wait) honoured; a longer one fails over',
  },
  requestBudget: {
    env: 'QUOTECAST_REQUEST_BUDGET',
    flag: 'request-budget',
    schema: z
      .string()
      .transform((text, context) => {
        const budget: { all: number; byProvider: Record<string, number> } = {
          all: 60,
          byProvider: { alphavantage: 5 },
        }
        for (const part of text.split(',').map((entry) => entry.trim())) {
          const match = /^(?:(replay|yahoo|stooq|alphavantage|pse)=)?(\d{1,7})$/.exec(part)
          if (match === null || Number(match[2]) < 1) {
            context.addIssue({ code: 'custom', message: `"${part}" is not N or PROVIDER=N with N ≥ 1` })
            return z.NEVER
          }
          if (match[1] === undefined) budget.all = Number(match[2])
          else budget.byProvider[match[1]] = Number(match[2])
        }
        return budget
      })
      .default({ all: 60, byProvider: { alphavantage: 5 } }),
    describe:
      'fetcher: requests per provider per budget window: N for every provider and/or PROVIDER=N (default 60,alphavantage=5)',
  },
  requestBudgetWindowSec: {
    env: 'QUOTECAST_REQUEST_BUDGET_WINDOW_SEC',
    flag: 'request-budget-window-sec',
    schema: positiveInt(7 * 86_400).default(60),
    describe: 'fetcher: the sliding window of the request budget, in seconds',
  },
  watchIntervalSec: {
    env: 'QUOTECAST_WATCH_INTERVAL_SEC',
    flag: 'watch-interval-sec',
    schema: positiveInt(86_400).default(60),
    describe: 'fetch --watch: seconds between fetches while the exchange is open',
  },
  maxQuoteAgeSec: {
    env: 'QUOTECAST_MAX_QUOTE_AGE_SEC',
    flag: 'max-quote-age-sec',
    schema: positiveInt().default(4 * 86_400),
    describe: 'fetcher: a live quote older than this is stale and not published (replays are exempt)',
  },
  replayFrom: {
    env: 'QUOTECAST_REPLAY_FROM',
    flag: 'replay-from',
    schema: isoDate.optional(),
    describe: 'replay provider: start each series at this date, YYYY-MM-DD (default: its first bar)',
  },
  from: {
    env: 'QUOTECAST_BACKFILL_FROM',
    flag: 'from',
    schema: isoDate.optional(),
    describe:
      'backfill: first date, YYYY-MM-DD (required); run with a live provider: backfill the daily history from it before following',
  },
  to: {
    env: 'QUOTECAST_BACKFILL_TO',
    flag: 'to',
    schema: isoDate.optional(),
    describe: 'backfill: last date, YYYY-MM-DD, inclusive (default: today)',
  },
  yahooBaseUrl: {
    env: 'QUOTECAST_YAHOO_BASE_URL',
    flag: 'yahoo-base-url',
    schema: httpUrl.default('https://query1.finance.yahoo.com'),
    describe: 'yahoo provider: base URL of the chart API (tests point it at a fixture server)',
  },
  stooqBaseUrl: {
    env: 'QUOTECAST_STOOQ_BASE_URL',
    flag: 'stooq-base-url',
    schema: httpUrl.default('https://stooq.com'),
    describe: 'stooq provider: base URL of the CSV downloads',
  },
  alphavantageBaseUrl: {
    env: 'QUOTECAST_ALPHAVANTAGE_BASE_URL',
    flag: 'alphavantage-base-url',
    schema: httpUrl.default('https://www.alphavantage.co'),
    describe: 'alphavantage provider: base URL of the query API',
  },
  pseBaseUrl: {
    env: 'QUOTECAST_PSE_BASE_URL',
    flag: 'pse-base-url',
    schema: httpUrl.default('https://phisix-api.appspot.com'),
    describe: 'pse provider: base URL of the phisix API',
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
