import { execFileSync, type ChildProcess } from 'node:child_process'
import { cleanUpOnExit } from './exit-cleanup.ts'

let setprivAvailable: boolean | undefined

function hasSetpriv(): boolean {
  if (setprivAvailable === undefined) {
    try {
      execFileSync('setpriv', ['--version'], { stdio: 'ignore' })
      setprivAvailable = true
    } catch {
      setprivAvailable = false
    }
  }
  return setprivAvailable
}

/**
 * Wraps a command so the kernel SIGKILLs it when this Node process dies, however it dies
 * (even SIGKILL, where no exit handler runs). Falls back to the bare command without util-linux.
 */
export function diesWithParent(
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  if (process.platform === 'linux' && hasSetpriv()) {
    return { command: 'setpriv', args: ['--pdeathsig', 'KILL', '--', command, ...args] }
  }
  return { command, args: [...args] }
}

/** Kills the child on a normal exit of this process too, for hosts without setpriv. */
export function killOnExit(child: ChildProcess): void {
  const unregister = cleanUpOnExit(() => child.kill('SIGKILL'))
  child.once('exit', unregister)
}
