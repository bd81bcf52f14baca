import { spawn } from 'node:child_process'

export interface ChildOutput {
  readonly stdout: string
  readonly stderr: string
}

export interface RunChildOptions {
  readonly cwd?: string
  readonly env?: NodeJS.ProcessEnv
  readonly timeoutMs?: number
  /** Written to the child's stdin, which is then closed. */
  readonly input?: string
}

const tail = (text: string): string => text.split('\n').slice(-20).join('\n')

/** Runs a command to its end; a non-zero exit or the timeout rejects with the tail of its output. */
export function runChild(
  command: string,
  args: readonly string[],
  options: RunChildOptions = {},
): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdin.end(options.input ?? '')
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs).unref()
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve({ stdout, stderr })
      else {
        const why = signal === null ? `exit ${code}` : `signal ${signal}`
        reject(new Error(`${command} ${args.join(' ')} failed (${why}):\n${tail(stderr)}\n${tail(stdout)}`))
      }
    })
  })
}
