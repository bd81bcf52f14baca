import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { diesWithParent, killOnExit } from './orphan-guard.ts'

export interface RunLoggedOptions {
  cwd?: string
  logPath: string
  onOutputLine?: (line: string) => void
}

/** Runs a command to completion with its output appended to a log file; resolves to its exit code. */
export async function runLogged(
  command: string,
  args: readonly string[],
  options: RunLoggedOptions,
): Promise<number> {
  const log = createWriteStream(options.logPath, { flags: 'a' })
  const guarded = diesWithParent(command, args)
  const child = spawn(guarded.command, guarded.args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  killOnExit(child)
  let partialLine = ''
  const onData = (chunk: Buffer): void => {
    log.write(chunk)
    if (options.onOutputLine === undefined) return
    const lines = (partialLine + chunk.toString('utf8')).split('\n')
    partialLine = lines.pop() ?? ''
    for (const line of lines) options.onOutputLine(line)
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', (code, signal) => {
        resolve(code ?? (signal === null ? 1 : 128))
      })
    })
  } finally {
    await new Promise<void>((resolve) => log.end(resolve))
  }
}
