import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { imageConfig, imageName, mountImage, type ImageConfig, type MountedImage } from './image.ts'

const SANDBOX_SCRIPT = fileURLToPath(new URL('image-sandbox.sh', import.meta.url))

export interface SandboxRun {
  /** Replaces the image's entrypoint (a container's `command`). */
  readonly command?: readonly string[]
  /** Replaces the image's CMD (a container's `args`). */
  readonly args?: readonly string[]
  /** Added to the image's environment. */
  readonly env?: Readonly<Record<string, string>>
  /** `uid:gid`; default the image's USER. */
  readonly user?: string
  /** Folders mounted writable (fresh tmpfs, as an emptyDir); default only /tmp. */
  readonly writable?: readonly string[]
  /** Folders mounted empty and read-only (an optional Secret volume that does not exist). */
  readonly emptyReadOnly?: readonly string[]
  /** false: the root filesystem stays writable (readOnlyRootFilesystem: false). */
  readonly readOnlyRoot?: boolean
  /** A network namespace to run in (`/proc/PID/ns/net`); default the host's. */
  readonly netns?: string
  /** A file mounted on /etc/hosts. */
  readonly hostsFile?: string
}

/**
 * One mounted working container of the image; each `spawn` runs a command in it as a restricted
 * pod would (read-only root, only the given folders writable, as the image's user), sharing the
 * host's network. Needs root; `close` unmounts and removes the working container.
 */
export class ImageSandbox {
  readonly image: string
  readonly config: ImageConfig
  readonly #mounted: MountedImage

  private constructor(image: string, config: ImageConfig, mounted: MountedImage) {
    this.image = image
    this.config = config
    this.#mounted = mounted
  }

  static open(image = imageName()): ImageSandbox {
    return new ImageSandbox(image, imageConfig(image), mountImage(image))
  }

  spawn(run: SandboxRun): ChildProcess {
    const argv = [...(run.command ?? this.config.Entrypoint ?? []), ...(run.args ?? this.config.Cmd ?? [])]
    if (argv.length === 0) throw new Error(`${this.image}: nothing to run (no command, no entrypoint)`)
    const env = new Map<string, string>()
    for (const entry of this.config.Env ?? []) {
      const at = entry.indexOf('=')
      env.set(entry.slice(0, at), entry.slice(at + 1))
    }
    env.set('HOME', '/home/node')
    for (const [name, value] of Object.entries(run.env ?? {})) env.set(name, value)
    const assignments = [...env].map(([name, value]) => `${name}=${value}`)
    const sandboxed = [
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'sh',
      SANDBOX_SCRIPT,
      ...assignments,
      ...argv,
    ]
    const [program = 'unshare', ...programArgs] =
      run.netns === undefined ? sandboxed : ['nsenter', `--net=${run.netns}`, '--', ...sandboxed]
    return spawn(program, programArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        SANDBOX_ROOT: this.#mounted.root,
        SANDBOX_USER: run.user ?? this.config.User ?? '0:0',
        SANDBOX_WORKDIR: this.config.WorkingDir ?? '/',
        SANDBOX_WRITABLE: (run.writable ?? ['/tmp']).join(':'),
        SANDBOX_EMPTY_RO: (run.emptyReadOnly ?? []).join(':'),
        SANDBOX_READONLY: run.readOnlyRoot === false ? '0' : '1',
        SANDBOX_HOSTS: run.hostsFile ?? '',
      },
    })
  }

  close(): void {
    this.#mounted.release()
  }
}
