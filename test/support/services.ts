import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export type QuotecastCommand = 'process' | 'train' | 'serve' | 'fetch' | 'backfill' | 'topics' | 'bridge'

export interface ServiceOptions {
  /** Shown in failures; default the command. */
  readonly name?: string
  /** Bootstrap servers; omitted when the environment carries them (e.g. a SASL test). */
  readonly kafka?: string
  readonly topicPrefix: string
  readonly args?: readonly string[]
  /** Added to a minimal environment (PATH, HOME and LOG_FORMAT=json); nothing else is inherited. */
  readonly env?: Readonly<Record<string, string>>
  /** Node's own options, before the CLI (e.g. post-gc-heap.ts's INSPECT). */
  readonly nodeOptions?: readonly string[]
}

export interface ExitStatus {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** A parsed JSON log line of a service (pino: level, msg, and fields). */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string; readonly level?: number }

const running = new Set<ChildProcess>()
const killRunning = (): void => {
  for (const child of running) child.kill('SIGKILL')
}
// Last resort: whatever a failed test left running dies with the test process, also when the
// test process is interrupted (the signal is raised again, for its usual effect).
process.on('exit', killRunning)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunning()
    process.kill(process.pid, signal)
  })
}

/** A quotecast command running as a child process, with its output kept for assertions. */
export class ServiceProcess {
  readonly name: string
  readonly child: ChildProcess
  readonly exited: Promise<ExitStatus>
  #stdout = ''
  #stderr = ''
  #exit: ExitStatus | undefined
  #baseUrl: string | undefined

  constructor(name: string, child: ChildProcess) {
    this.name = name
    this.child = child
    running.add(child)
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.#stdout += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk))
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child)
        this.#exit = { code, signal }
        resolve(this.#exit)
      })
    })
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid: it did not start`)
    return this.child.pid
  }

  get isRunning(): boolean {
    return this.#exit === undefined
  }

  get stdout(): string {
    return this.#stdout
  }

  /** Everything the process wrote: its logs (standard error) and its results (standard output). */
  get output(): string {
    return this.#stdout + this.#stderr
  }

  /** The JSON log lines written so far; other lines (e.g. a usage error) are left out. */
  logLines(): LogLine[] {
    return this.#stderr.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return []
      try {
        return [JSON.parse(line) as LogLine]
      } catch {
        return []
      }
    })
  }

  /** The first log line that matches, waiting for it; fails when the process exits first. */
  async waitForLog(match: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.logLines().find(match)
      if (found !== undefined) return found
      if (!this.isRunning)
        throw new Error(`${this.name} exited (${this.describeExit()}) before the log line:\n${this.tail()}`)
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no such log line in ${timeoutMs} ms:\n${this.tail()}`)
      await sleep(50)
    }
  }

  /** The base URL of the health server (background services) or of the API (`serve`), once ready. */
  async waitReady(timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    const started = await this.waitForLog(
      (line) =>
        typeof line['healthPort'] === 'number' ||
        (line.msg === 'listening' && typeof line['url'] === 'string'),
      timeoutMs,
    )
    const base =
      typeof started['healthPort'] === 'number'
        ? `http://127.0.0.1:${started['healthPort']}`
        : String(started['url']).replace('localhost', '127.0.0.1')
    for (;;) {
      const response = await fetch(`${base}/readyz`).catch(() => undefined)
      if (response?.status === 200) {
        this.#baseUrl = base
        return base
      }
      if (!this.isRunning)
        throw new Error(`${this.name} exited (${this.describeExit()}) before ready:\n${this.tail()}`)
      if (Date.now() > deadline) throw new Error(`${this.name} not ready in ${timeoutMs} ms:\n${this.tail()}`)
      await sleep(100)
    }
  }

  /**
   * A Prometheus metric of the service, summed over its labels (NaN when absent), read from
   * /metrics after `waitReady`; undefined when the process is gone or does not answer.
   */
  async metric(name: string): Promise<number | undefined> {
    if (this.#baseUrl === undefined || !this.isRunning) return undefined
    const response = await fetch(`${this.#baseUrl}/metrics`).catch(() => undefined)
    if (response?.status !== 200) return undefined
    return sumMetric(await response.text(), name)
  }

  /** Sends a signal and waits for the exit; SIGTERM escalates to SIGKILL after `graceMs`. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 30_000): Promise<ExitStatus> {
    if (!this.isRunning) return this.exited
    this.child.kill(signal)
    if (signal === 'SIGKILL') return this.exited
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    try {
      return await this.exited
    } finally {
      clearTimeout(timer)
    }
  }

  describeExit(): string {
    const exit = this.#exit
    if (exit === undefined) return 'running'
    return exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`
  }

  /** The last lines of output, for failure messages. */
  tail(lines = 25): string {
    return this.output.trimEnd().split('\n').slice(-lines).join('\n')
  }
}

/**
 * Starts `quotecast <command>` as a child process with JSON logs, its own topic prefix and, for
 * background services, a free health port. Tests must stop it (`stopServices` in an `after` hook);
 * anything still running when the test process exits is killed.
 */
export function startService(command: QuotecastCommand, options: ServiceOptions): ServiceProcess {
  const args = [CLI, command, '--topic-prefix', options.topicPrefix]
  if (options.kafka !== undefined) args.push('--kafka', options.kafka)
  if (
    command === 'process' ||
    command === 'train' ||
    (command === 'fetch' && options.args?.includes('--watch'))
  ) {
    args.push('--health-port', '0')
  }
  if (command === 'serve') args.push('--port', '0', '--host', '127.0.0.1')
  args.push(...(options.args ?? []))
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      LOG_FORMAT: 'json',
      ...options.env,
    },
  })
  return new ServiceProcess(options.name ?? command, child)
}

/** Runs a command to its end (topics, backfill, fetch) and returns its exit status and output. */
export async function runCommand(
  command: QuotecastCommand,
  options: ServiceOptions & { readonly timeoutMs?: number },
): Promise<
  ExitStatus & { readonly output: string; readonly stdout: string; readonly service: ServiceProcess }
> {
  const service = startService(command, options)
  const timer = setTimeout(() => service.child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  try {
    const exit = await service.exited
    return { ...exit, output: service.output, stdout: service.stdout, service }
  } finally {
    clearTimeout(timer)
  }
}

/** Stops services: SIGTERM (a clean stop) unless told to SIGKILL, and waits for every exit. */
export async function stopServices(
  services: Iterable<ServiceProcess>,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  await Promise.all([...services].map((service) => service.kill(signal, 15_000)))
}

/** The sum of a metric's samples over all label sets in a Prometheus text exposition; NaN when absent. */
export function sumMetric(exposition: string, name: string): number {
  let sum = Number.NaN
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue
    const value = Number(line.slice(line.lastIndexOf(' ') + 1))
    sum = Number.isNaN(sum) ? value : sum + value
  }
  return sum
}
