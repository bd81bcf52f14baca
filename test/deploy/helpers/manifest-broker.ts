// The test broker started as a manifest's broker container would start: its server.properties
// made from the container's KAFKA_* env by the apache/kafka image's rule (kafka-env.ts), storage
// formatted with its CLUSTER_ID, the JVM heap from KAFKA_HEAP_OPTS, the Maven jars of the image's
// Kafka version, in the pod's network namespace with the cluster's /etc/hosts.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fetchKafkaJars } from '../../../src/platform/kafka-broker/fetch-jars.ts'
import { javaArgs, javaExecutable } from '../../../src/platform/kafka-broker/java-command.ts'
import { diesWithParent } from '../../../src/platform/kafka-broker/orphan-guard.ts'
import { log4j2Config } from '../../../src/platform/kafka-broker/log4j2-config.ts'
import { logTail } from '../../../src/platform/kafka-broker/log-tail.ts'
import { runLogged } from '../../../src/platform/kafka-broker/run-logged.ts'
import { renderProperties } from '../../../src/platform/kafka-broker/server-properties.ts'
import { createWorkDir } from '../../../src/platform/kafka-broker/stale-work-dirs.ts'
import { heapMbOf, kafkaEnvToProperties } from './kafka-env.ts'

export interface ManifestBrokerInput {
  /** The broker container's environment, references resolved. */
  readonly env: Readonly<Record<string, string>>
  /** The image's Kafka version (its tag, e.g. apache/kafka:4.2.2). */
  readonly version: string
  /** The container's volume mounts: each becomes a fresh folder of the work dir. */
  readonly mountPaths: readonly string[]
  readonly netns: string
  readonly hostsFile: string
}

export interface ManifestBroker {
  readonly properties: Readonly<Record<string, string>>
  readonly logPath: string
  readonly exited: Promise<number | null>
  stop(): Promise<void>
}

/** `mount --bind hosts /etc/hosts` in a private mount namespace, then the command. */
export function withHosts(hostsFile: string, argv: readonly string[]): string[] {
  return [
    'unshare',
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    'mount --bind "$0" /etc/hosts && exec "$@"',
    hostsFile,
    ...argv,
  ]
}

export async function startManifestBroker(input: ManifestBrokerInput): Promise<ManifestBroker> {
  const clusterId = input.env['CLUSTER_ID']
  if (clusterId === undefined)
    throw new Error('the broker container has no CLUSTER_ID (the image requires it)')
  const libsDir = await fetchKafkaJars(input.version)
  const workDir = createWorkDir()
  const logsDir = join(workDir, 'logs')
  mkdirSync(logsDir)
  // A volume's mount path → a folder of the work dir (the PersistentVolumeClaim, fresh).
  const onHost = (path: string): string => {
    const mount = input.mountPaths.find((mountPath) => path === mountPath || path.startsWith(`${mountPath}/`))
    return mount === undefined ? path : join(workDir, 'volumes', mount, path.slice(mount.length))
  }
  const properties = kafkaEnvToProperties(input.env)
  const logDirs = properties['log.dirs']
  if (logDirs !== undefined) {
    properties['log.dirs'] = logDirs.split(',').map(onHost).join(',')
    for (const dir of properties['log.dirs'].split(',')) mkdirSync(dir, { recursive: true })
  }
  const propertiesPath = join(workDir, 'server.properties')
  writeFileSync(propertiesPath, renderProperties(properties))
  const logPath = join(logsDir, 'server.log')
  const log4j2ConfigPath = join(workDir, 'log4j2.properties')
  writeFileSync(log4j2ConfigPath, log4j2Config(logPath))
  const heapMb = heapMbOf(input.env) ?? 1024
  const argsFor = (mainClass: string, mainArgs: readonly string[]): string[] =>
    javaArgs({ libsDir, log4j2ConfigPath, logsDir, heapMb, mainClass, mainArgs })
  const java = javaExecutable()

  // As the image does with a static controller.quorum.voters: format, without --standalone.
  const formatLog = join(logsDir, 'format.log')
  const formatted = await runLogged(
    java,
    argsFor('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', propertiesPath]),
    { logPath: formatLog },
  )
  if (formatted !== 0) throw new Error(`formatting the broker's storage failed:\n${logTail(formatLog)}`)

  const args = [
    `--net=${input.netns}`,
    '--',
    ...withHosts(input.hostsFile, [java, ...argsFor('kafka.Kafka', [propertiesPath])]),
  ]
  const guarded = diesWithParent('nsenter', args)
  const child: ChildProcess = spawn(guarded.command, guarded.args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = createWriteStream(join(logsDir, 'stdout.log'))
  child.stdout?.pipe(output)
  child.stderr?.pipe(output)
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return {
    properties,
    logPath,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(workDir, { recursive: true, force: true })
    },
  }
}
