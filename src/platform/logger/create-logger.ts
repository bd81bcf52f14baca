import { pino, type Logger } from 'pino'

export type { Logger } from 'pino'

export interface LoggerOptions {
  readonly name: string
  readonly level: string
  readonly format: 'json' | 'pretty' | 'auto'
  /** Values never to appear in a log line (passwords, API keys): replaced by [REDACTED]. */
  readonly secrets?: readonly string[]
  /** Where lines go; standard error by default so standard output stays for command results. */
  readonly destination?: NodeJS.WritableStream
}

/** JSON logs for machines, readable lines on a terminal, and no configured secret ever written. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 4)
  const redact = (line: string): string =>
    secrets.reduce((text, secret) => text.split(secret).join('[REDACTED]'), line)
  const destination = options.destination ?? process.stderr
  const isPretty =
    options.format === 'pretty' || (options.format === 'auto' && 'isTTY' in destination && destination.isTTY)
  const stream = isPretty
    ? pino.transport({
        target: 'pino-pretty',
        options: { destination: 2, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      })
    : destination
  return pino(
    {
      name: options.name,
      level: options.level,
      base: { service: options.name },
      hooks: { streamWrite: redact },
      redact: {
        paths: ['password', '*.password', 'apiKey', '*.apiKey', 'sasl.password'],
        censor: '[REDACTED]',
      },
    },
    stream as pino.DestinationStream,
  )
}
