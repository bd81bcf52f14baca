import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { SETTINGS, type SettingName } from './settings.ts'

type Values = Readonly<Partial<Record<SettingName, unknown>>>

/** A check of settings whose values parsed: it returns what is wrong, naming the setting, or undefined. */
interface SettingCheck {
  /** The check runs for a command that reads every one of these. */
  readonly names: readonly SettingName[]
  readonly check: (values: Values) => Promise<string | undefined>
}

const named = (name: SettingName): string => `--${SETTINGS[name].flag} / ${SETTINGS[name].env}`

/** Binds host:port and closes it again: the host resolves to a local address and the port is free. */
async function tryListen(host: string, port: number): Promise<string | undefined> {
  const server = createServer()
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(LISTEN_ERRORS[error.code ?? ''] ?? `cannot listen (${error.code ?? error.message})`)
    })
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)))
  })
}

const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (DNS lookup failed)',
  EACCES: 'not allowed to listen there (a port below 1024 needs privileges)',
  EINVAL: 'not an address to listen on',
}

function listenCheck(hostName: SettingName, portName: SettingName): SettingCheck {
  return {
    names: [hostName, portName],
    check: async (values) => {
      const host = values[hostName]
      const port = values[portName]
      if (typeof host !== 'string' || typeof port !== 'number') return undefined
      const problem = await tryListen(host, port)
      return problem === undefined
        ? undefined
        : `${named(hostName)} = ${JSON.stringify(host)}, ${named(portName)} = ${port}: ${problem}`
    },
  }
}

const isSasl = (values: Values): boolean =>
  values.kafka !== undefined && String(values.kafkaSecurity).startsWith('SASL_')

const CHECKS: readonly SettingCheck[] = [
  listenCheck('httpHost', 'httpPort'),
  listenCheck('healthHost', 'healthPort'),
  listenCheck('healthHost', 'metricsPort'),
  {
    names: ['kafka', 'kafkaSecurity', 'kafkaUsername'],
    check: (values) =>
      Promise.resolve(
        isSasl(values) && values.kafkaUsername === undefined
          ? `${named('kafkaUsername')} is required with ${named('kafkaSecurity')} = ${String(values.kafkaSecurity)}`
          : undefined,
      ),
  },
  {
    names: ['kafka', 'kafkaSecurity', 'kafkaPassword'],
    check: (values) =>
      Promise.resolve(
        isSasl(values) && values.kafkaPassword === undefined
          ? `${named('kafkaPassword')} is required with ${named('kafkaSecurity')} = ${String(values.kafkaSecurity)}`
          : undefined,
      ),
  },
  {
    names: ['kafkaCaFile'],
    check: async ({ kafkaCaFile: path }) => {
      if (typeof path !== 'string') return undefined
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error)
        return `${named('kafkaCaFile')} = ${JSON.stringify(path)}: cannot be read (${code})`
      }
      return text.includes('-----BEGIN CERTIFICATE-----')
        ? undefined
        : `${named('kafkaCaFile')} = ${JSON.stringify(path)}: holds no PEM certificate`
    },
  },
]

/**
 * What the parsed settings of a command cannot do, checked before anything starts: a listen
 * address that does not resolve to this machine or a port in use, an unreadable CA file, SASL
 * without its user or password. Each problem names its setting; none means the settings are usable.
 */
export async function checkSettings(names: readonly SettingName[], values: Values): Promise<string[]> {
  const present = new Set(names)
  const applicable = CHECKS.filter((entry) => entry.names.every((name) => present.has(name)))
  const problems = await Promise.all(applicable.map((entry) => entry.check(values)))
  return problems.filter((problem) => problem !== undefined)
}
