import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnBrokerProcess, type BrokerProcess } from './broker-process.ts'
import { cleanUpOnExit } from './exit-cleanup.ts'
import { fetchKafkaJars } from './fetch-jars.ts'
import { freePort } from './free-port.ts'
import { javaArgs, javaExecutable } from './java-command.ts'
import { randomKafkaClusterId } from './kafka-cluster-id.ts'
import { KAFKA_VERSION } from './kafka-version.ts'
import { log4j2Config } from './log4j2-config.ts'
import { logErrors, logTail } from './log-tail.ts'
import { runLogged } from './run-logged.ts'
import { createWorkDir, removeStaleWorkDirs } from './stale-work-dirs.ts'
import {
  renderProperties,
  serverProperties,
  type ExtraListener,
  type PropertyValue,
} from './server-properties.ts'
import { waitForBroker } from './wait-for-broker.ts'

export interface KafkaBrokerOptions {
  version?: string
  /** PLAINTEXT client port; a free one when left out. */
  brokerPort?: number
  controllerPort?: number
  /** More client listeners on 127.0.0.1 (e.g. SASL_PLAINTEXT); a free port when `port` is left out. */
  extraListeners?: readonly (Omit<ExtraListener, 'port'> & { port?: number })[]
  /** Server properties that override the defaults (e.g. `sasl.enabled.mechanisms`). */
  extraProperties?: Readonly<Record<string, PropertyValue>>
  /** Extra `StorageTool format` arguments, e.g. `['--add-scram', 'SCRAM-SHA-256=[name=a,password=b]']`. */
  formatArgs?: readonly string[]
  /**
   * A data directory that outlives `stop()`, for a broker restarted on the same data later.
   * Formatted only when it holds no Kafka data yet. Default: a temp dir removed by `stop()`.
   */
  dataDir?: string
  heapMb?: number
  startTimeoutMs?: number
  /** Print nothing but errors. */
  quiet?: boolean
}

export interface KafkaBroker {
  /** `127.0.0.1:<port>` of the PLAINTEXT listener. */
  bootstrap: string
  /** `host:port` by listener name, PLAINTEXT and the extra listeners. */
  listeners: Readonly<Record<string, string>>
  version: string
  /** The broker's Log4j2 log. */
  logPath: string
  dataDir: string
  /** The broker JVM's process id while it runs. */
  readonly pid: number | undefined
  /** Stops the JVM and keeps ports and data: a broker outage, for fault tests. */
  stopProcess(options?: { kill?: boolean }): Promise<void>
  /** Starts the JVM again after `stopProcess()`, on the same ports and data. */
  startProcess(): Promise<void>
  restart(options?: { kill?: boolean }): Promise<void>
  /** Stops the broker for good and removes its temp dir. */
  stop(): Promise<void>
}

const DEFAULT_HEAP_MB = 512
const DEFAULT_START_TIMEOUT_MS = 60_000

async function portOrFree(port: number | undefined): Promise<number> {
  return port !== undefined && port !== 0 ? port : await freePort()
}

/** Starts a single-node KRaft Apache Kafka broker from the cached jars (fetched on first use). */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const version = options.version ?? KAFKA_VERSION
  const say = (message: string): void => {
    if (options.quiet !== true) console.log(`[kafka] ${message}`)
  }
  const libsDir = await fetchKafkaJars(version)

  removeStaleWorkDirs()
  const workDir = createWorkDir()
  const logsDir = join(workDir, 'logs')
  mkdirSync(logsDir)
  const dataDir = options.dataDir ?? join(workDir, 'data')
  mkdirSync(dataDir, { recursive: true })
  const logPath = join(logsDir, 'server.log')
  const outputLogPath = join(logsDir, 'stdout.log')

  const brokerPort = await portOrFree(options.brokerPort)
  const controllerPort = await portOrFree(options.controllerPort)
  const extraListeners: ExtraListener[] = []
  for (const listener of options.extraListeners ?? []) {
    extraListeners.push({ ...listener, port: await portOrFree(listener.port) })
  }
  const propertiesPath = join(workDir, 'server.properties')
  writeFileSync(
    propertiesPath,
    renderProperties(
      serverProperties({
        brokerPort,
        controllerPort,
        logDir: dataDir,
        extraListeners,
        extraProperties: options.extraProperties ?? {},
      }),
    ),
  )
  const log4j2ConfigPath = join(workDir, 'log4j2.properties')
  writeFileSync(log4j2ConfigPath, log4j2Config(logPath))

  const heapMb = options.heapMb ?? DEFAULT_HEAP_MB
  const java = javaExecutable()
  const argsFor = (mainClass: string, mainArgs: readonly string[]): string[] =>
    javaArgs({ libsDir, log4j2ConfigPath, logsDir, heapMb, mainClass, mainArgs })

  const removeWorkDirNow = (): void => {
    rmSync(workDir, { recursive: true, force: true })
  }
  const forgetWorkDir = cleanUpOnExit(removeWorkDirNow)
  const removeWorkDir = (): void => {
    removeWorkDirNow()
    forgetWorkDir()
  }

  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const formatLogPath = join(logsDir, 'format.log')
    const formatArgs = [
      'format',
      '-t',
      randomKafkaClusterId(),
      '-c',
      propertiesPath,
      ...(options.formatArgs ?? []),
    ]
    const exitCode = await runLogged(java, argsFor('kafka.tools.StorageTool', formatArgs), {
      logPath: formatLogPath,
    })
    if (exitCode !== 0) {
      const tail = logTail(formatLogPath)
      removeWorkDir()
      throw new Error(`formatting Kafka storage failed (exit ${exitCode}):\n${tail}`)
    }
  }

  const bootstrap = `127.0.0.1:${brokerPort}`
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS
  let current: BrokerProcess | undefined

  const startProcess = async (): Promise<void> => {
    if (current !== undefined) return
    const startedAt = Date.now()
    const brokerProcess = spawnBrokerProcess(java, argsFor('kafka.Kafka', [propertiesPath]), outputLogPath)
    current = brokerProcess
    try {
      await waitForBroker(bootstrap, startTimeoutMs, brokerProcess.exitSignal)
    } catch (error) {
      await brokerProcess.stop({ kill: true })
      current = undefined
      const reason = error instanceof Error ? error.message : String(error)
      console.error(
        `[kafka] broker failed to start: ${reason}\n--- ${logPath} (tail) ---\n${logTail(logPath, 30)}`,
      )
      const errors = logErrors(logPath)
      if (errors !== '') console.error(`--- ${logPath} (first errors) ---\n${errors}`)
      console.error(`--- ${outputLogPath} (tail) ---\n${logTail(outputLogPath, 20)}`)
      throw new Error(`Apache Kafka ${version} broker did not start: ${reason}`, { cause: error })
    }
    say(
      `Apache Kafka ${version} broker up at ${bootstrap} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    )
  }

  const stopProcess = async ({ kill = false } = {}): Promise<void> => {
    const running = current
    current = undefined
    await running?.stop({ kill })
  }

  try {
    await startProcess()
  } catch (error) {
    removeWorkDir()
    throw error
  }

  return {
    bootstrap,
    listeners: Object.fromEntries([
      ['PLAINTEXT', bootstrap],
      ...extraListeners.map((listener) => [listener.name, `127.0.0.1:${listener.port}`]),
    ]) as Record<string, string>,
    version,
    logPath,
    dataDir,
    get pid() {
      return current?.pid
    },
    stopProcess,
    startProcess,
    async restart(restartOptions = {}) {
      await stopProcess(restartOptions)
      await startProcess()
    },
    async stop() {
      await stopProcess()
      removeWorkDir()
    },
  }
}
