import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { diesWithParent, killOnExit } from './orphan-guard.ts'

export interface BrokerProcess {
  pid: number | undefined
  /** Aborts when the process exits, for whoever waits on it to start. */
  exitSignal: AbortSignal
  exited: Promise<void>
  /** SIGTERM (Kafka shuts down cleanly), SIGKILL after the grace period, or SIGKILL at once. */
  stop(options?: { kill?: boolean; graceMs?: number }): Promise<void>
}

const DEFAULT_GRACE_MS = 20_000

/** Spawns a JVM with its output appended to `outputLogPath`; it dies with this Node process. */
export function spawnBrokerProcess(
  command: string,
  args: readonly string[],
  outputLogPath: string,
): BrokerProcess {
  const outputFd = openSync(outputLogPath, 'a')
  const guarded = diesWithParent(command, args)
  const child = spawn(guarded.command, guarded.args, { stdio: ['ignore', outputFd, outputFd] })
  closeSync(outputFd)
  killOnExit(child)

  const exitController = new AbortController()
  let running = true
  const exited = new Promise<void>((resolve) => {
    const onGone = (reason: string): void => {
      running = false
      exitController.abort(new Error(`the Kafka process ${reason}`))
      resolve()
    }
    child.once('exit', (code, signal) => {
      onGone(`exited (${signal ?? `code ${code ?? '?'}`})`)
    })
    child.once('error', (error) => {
      onGone(`failed to start: ${error.message}`)
    })
  })

  return {
    pid: child.pid,
    exitSignal: exitController.signal,
    exited,
    async stop({ kill = false, graceMs = DEFAULT_GRACE_MS } = {}) {
      if (!running) return
      child.kill(kill ? 'SIGKILL' : 'SIGTERM')
      const outcome = await Promise.race([
        exited.then(() => 'exited' as const),
        sleep(graceMs, 'timeout' as const, { ref: false }),
      ])
      if (outcome === 'timeout') {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}
