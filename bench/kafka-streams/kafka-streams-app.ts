// Builds and starts the Kafka Streams reference implementation (bench/kafka-streams/, README.md):
// Maven offline against ~/.m2 once it holds the dependencies, online only for the first build.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'

const PROJECT_DIR = new URL('.', import.meta.url).pathname
const TARGET_DIR = join(PROJECT_DIR, 'target')
const CLASSPATH_FILE = join(TARGET_DIR, 'classpath.txt')
/** Written after each successful build: Maven leaves unchanged outputs' times alone. */
const STAMP_FILE = join(TARGET_DIR, 'built.stamp')
const START_TIMEOUT_MS = 90_000

export type BuildResult =
  | { readonly ok: true; readonly classpath: string; readonly seconds: number; readonly how: string }
  | {
      readonly ok: false
      /** `unavailable`: no java or mvn, or Maven could not get the dependencies; `failed`: the build broke. */
      readonly kind: 'unavailable' | 'failed'
      readonly reason: string
    }

function newestSourceMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs)
  }
  return newest
}

const hasTool = (command: string): boolean =>
  spawnSync(command, command === 'java' ? ['-version'] : ['-v'], { stdio: 'ignore' }).status === 0

/**
 * Compiles the app unless its classes are newer than every source and the pom. Maven runs offline
 * (`-o`) first; only when ~/.m2 lacks a dependency does it go online, once. Says why instead of
 * throwing: `unavailable` (no java or mvn, or no way to get the dependencies) lets a caller skip;
 * `failed` (the sources do not compile) must not.
 */
export function buildKafkaStreamsApp(): BuildResult {
  if (!hasTool('java')) return { ok: false, kind: 'unavailable', reason: 'java is not on PATH' }
  if (!hasTool('mvn')) return { ok: false, kind: 'unavailable', reason: 'mvn (Maven) is not on PATH' }
  const started = performance.now()
  const classes = join(TARGET_DIR, 'classes')
  const builtMs = existsSync(STAMP_FILE) && existsSync(CLASSPATH_FILE) ? statSync(STAMP_FILE).mtimeMs : 0
  const sourcesMs = Math.max(
    newestSourceMs(join(PROJECT_DIR, 'src')),
    statSync(join(PROJECT_DIR, 'pom.xml')).mtimeMs,
  )
  let how = 'up to date, Maven not run'
  if (builtMs < sourcesMs) {
    const mvn = (offline: boolean) =>
      spawnSync('mvn', [...(offline ? ['-o'] : []), '-q', '-B', 'package'], {
        cwd: PROJECT_DIR,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      })
    let result = mvn(true)
    how = 'mvn -o package (offline, ~/.m2)'
    if (
      result.status !== 0 &&
      /offline|Could not resolve|Cannot access/i.test(result.stdout + result.stderr)
    ) {
      result = mvn(false)
      how = 'mvn package (online: ~/.m2 lacked a dependency)'
    }
    if (result.status !== 0) {
      const output = result.stdout + result.stderr
      const tail = output.trim().split('\n').slice(-15).join('\n')
      const isUnresolved = /Could not resolve|Could not transfer|Cannot access/i.test(output)
      return {
        ok: false,
        kind: isUnresolved ? 'unavailable' : 'failed',
        reason: `the Maven build failed (exit ${result.status}):\n${tail}`,
      }
    }
    writeFileSync(STAMP_FILE, `${new Date().toISOString()} ${how}\n`)
  }
  const classpath = `${classes}:${readFileSync(CLASSPATH_FILE, 'utf8').trim()}`
  return { ok: true, classpath, seconds: (performance.now() - started) / 1000, how }
}

export interface KafkaStreamsAppOptions {
  readonly classpath: string
  readonly bootstrap: string
  readonly topicPrefix: string
  readonly applicationId: string
  readonly isExactlyOnce: boolean
  /** num.stream.threads; default the machine's cores (the docs' advice). */
  readonly threads?: number
  readonly commitIntervalMs?: number
  readonly interval?: string
  readonly allowedLatenessMs?: number
}

export interface KafkaStreamsApp {
  readonly pid: number | undefined
  /** The settings line the app printed (its StreamsConfig properties). */
  readonly settings: string
  /** Quotes its processor has taken so far, bars it published, when it took the first and the latest (epoch ms). */
  progress(): {
    readonly count: number
    readonly bars: number
    readonly firstAtMs: number | undefined
    readonly atMs: number
  }
  /** The last lines it wrote to stderr, for a failure message. */
  tail(): string
  stop(): Promise<void>
}

/** Starts the app as its own JVM and resolves once Kafka Streams reports RUNNING. */
export async function startKafkaStreamsApp(options: KafkaStreamsAppOptions): Promise<KafkaStreamsApp> {
  const args = [
    '-XX:+UseG1GC',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-cp',
    options.classpath,
    'quotecast.streams.Main',
    '--bootstrap',
    options.bootstrap,
    '--topic-prefix',
    options.topicPrefix,
    '--application-id',
    options.applicationId,
    '--exactly-once',
    String(options.isExactlyOnce),
    ...(options.threads === undefined ? [] : ['--threads', String(options.threads)]),
    ...(options.commitIntervalMs === undefined
      ? []
      : ['--commit-interval-ms', String(options.commitIntervalMs)]),
    ...(options.interval === undefined ? [] : ['--interval', options.interval]),
    ...(options.allowedLatenessMs === undefined
      ? []
      : ['--allowed-lateness-ms', String(options.allowedLatenessMs)]),
  ]
  const child: ChildProcess = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const recent: string[] = []
  const remember = (line: string): void => {
    recent.push(line)
    if (recent.length > 30) recent.shift()
  }
  let settings = ''
  let count = 0
  let bars = 0
  let firstAtMs: number | undefined
  let atMs = 0
  const running = Promise.withResolvers<undefined>()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void exited.then(() =>
    running.reject(new Error(`the Kafka Streams app exited while starting:\n${recent.join('\n')}`)),
  )
  createInterface({ input: child.stderr! }).on('line', remember)
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'running') running.resolve(undefined)
    else if (line.startsWith('settings ')) settings = line.slice('settings '.length)
    else if (line.startsWith('progress ')) {
      const [, at, n, b] = line.split(' ')
      atMs = Number(at)
      count = Number(n)
      bars = Number(b)
      if (firstAtMs === undefined && count > 0) firstAtMs = atMs
    } else remember(line)
  })
  const timer = setTimeout(
    () => running.reject(new Error(`the Kafka Streams app was not RUNNING within ${START_TIMEOUT_MS} ms`)),
    START_TIMEOUT_MS,
  )
  try {
    await running.promise
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  } finally {
    clearTimeout(timer)
  }
  return {
    pid: child.pid,
    settings,
    progress: () => ({ count, bars, firstAtMs, atMs }),
    tail: () => recent.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const isStopped = await Promise.race([
        exited.then(() => true),
        sleep(40_000, undefined, { ref: false }).then(() => false),
      ])
      if (!isStopped) child.kill('SIGKILL')
      await exited
    },
  }
}
