import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname
const START_TIMEOUT_MS = 60_000

/** Where the services' logs of this run go. */
export const BENCH_LOG_DIR = join(tmpdir(), `quotecast-bench-${process.pid}`)

/** Set by `--cpu-prof DIR`: every service process writes a V8 CPU profile there when it stops. */
let cpuProfileDir: string | undefined
export function profileServicesInto(dir: string | undefined): void {
  cpuProfileDir = dir
}

export interface ServiceProcess {
  readonly name: string
  /** `http://127.0.0.1:<port>`: the health server of process/train, the API of serve. */
  readonly url: string
  readonly pid: number | undefined
  /** A counter or gauge without labels from /metrics (summed over its label sets). */
  metric(name: string): Promise<number>
  stop(): Promise<void>
}

interface LogLine {
  readonly msg?: string
  readonly healthPort?: number
  readonly url?: string
  readonly level?: number
}

/**
 * Starts `quotecast <command>` as its own Node process on the broker, as it runs in production
 * (JSON logs, a free health port), and resolves once it said where it listens. Its log is kept in
 * BENCH_LOG_DIR; a process that exits early rejects with the log's last lines.
 */
export async function startServiceProcess(
  name: string,
  command: 'process' | 'train' | 'serve',
  args: readonly string[],
): Promise<ServiceProcess> {
  mkdirSync(BENCH_LOG_DIR, { recursive: true })
  const logPath = join(BENCH_LOG_DIR, `${name}.log`)
  const log = createWriteStream(logPath)
  const portArgs = command === 'serve' ? ['--port', '0', '--host', '127.0.0.1'] : ['--health-port', '0']
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(cpuProfileDir === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`]),
      CLI,
      command,
      ...portArgs,
      '--log-format',
      'json',
      '--log-level',
      'info',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child.stdout?.pipe(log)
  const recent: string[] = []
  const found = Promise.withResolvers<string>()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void exited.then(() => found.reject(new Error(`${name} exited while starting:\n${recent.join('\n')}`)))
  createInterface({ input: child.stderr! }).on('line', (line) => {
    log.write(`${line}\n`)
    recent.push(line)
    if (recent.length > 20) recent.shift()
    let parsed: LogLine
    try {
      parsed = JSON.parse(line) as LogLine
    } catch {
      return
    }
    if (typeof parsed.healthPort === 'number') found.resolve(`http://127.0.0.1:${parsed.healthPort}`)
    if (parsed.msg === 'listening' && typeof parsed.url === 'string') found.resolve(parsed.url)
  })
  const timer = setTimeout(() => {
    found.reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms; log: ${logPath}`))
  }, START_TIMEOUT_MS)
  let url: string
  try {
    url = await found.promise
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  } finally {
    clearTimeout(timer)
  }
  return {
    name,
    url,
    pid: child.pid,
    async metric(metricName) {
      const response = await fetch(`${url}/metrics`)
      const text = await response.text()
      let sum = 0
      for (const line of text.split('\n')) {
        if (line.startsWith(`${metricName} `) || line.startsWith(`${metricName}{`))
          sum += Number(line.slice(line.lastIndexOf(' ') + 1))
      }
      return sum
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const isStopped = await Promise.race([
        exited.then(() => true),
        sleep(30_000, undefined, { ref: false }).then(() => false),
      ])
      if (!isStopped) child.kill('SIGKILL')
      await exited
      log.end()
    },
  }
}
