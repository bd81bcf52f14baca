import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** The tag scripts/build-image.sh gives the image: localhost/quotecast:<package.json version>. */
export function imageName(): string {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
  return `localhost/quotecast:${version}`
}

export interface BuildahResult {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

export function buildah(args: readonly string[], timeoutMs = 60_000): BuildahResult {
  const result = spawnSync('buildah', args, { encoding: 'utf8', timeout: timeoutMs })
  if (result.error !== undefined) throw result.error
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr }
}

function buildahOk(args: readonly string[]): string {
  const result = buildah(args)
  if (result.status !== 0) throw new Error(`buildah ${args.join(' ')} failed: ${result.stderr.trim()}`)
  return result.stdout.trim()
}

/**
 * Why the image tests cannot run here, or undefined when they can: they need root, buildah and the
 * image that scripts/build-image.sh builds (.ci/run installs buildah and runs it).
 */
export function imageUnavailable(image = imageName()): string | undefined {
  if (process.getuid?.() !== 0) return 'the image tests need root (buildah storage, chroot isolation)'
  const version = spawnSync('buildah', ['--version'], { encoding: 'utf8' })
  if (version.error !== undefined || version.status !== 0)
    return 'buildah is not installed (apt-get install -y buildah debootstrap; then bash scripts/build-image.sh)'
  if (buildah(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', image]).status !== 0)
    return `the image ${image} is not built (bash scripts/build-image.sh)`
  return undefined
}

/** The parts of the image's OCI config the tests read. */
export interface ImageConfig {
  readonly User?: string
  readonly Env?: readonly string[]
  readonly Entrypoint?: readonly string[]
  readonly Cmd?: readonly string[]
  readonly WorkingDir?: string
  readonly ExposedPorts?: Record<string, unknown>
  readonly Labels?: Record<string, string>
}

interface InspectedImage {
  readonly OCIv1: { readonly config: ImageConfig }
}

export function imageConfig(image = imageName()): ImageConfig {
  return (JSON.parse(buildahOk(['inspect', '--type', 'image', image])) as InspectedImage).OCIv1.config
}

/** The image's size as buildah reports it (e.g. "320 MB"). */
export function imageSize(image = imageName()): string {
  return buildahOk(['images', '--noheading', '--format', '{{.Size}}', image])
}

export interface MountedImage {
  /** The image's root filesystem, on the host. */
  readonly root: string
  release(): void
}

/** A working container of the image, mounted on the host so its files can be read directly. */
export function mountImage(image = imageName()): MountedImage {
  const container = buildahOk(['from', '--pull=never', '--quiet', image])
  try {
    const root = buildahOk(['mount', container])
    return {
      root,
      release: () => {
        buildah(['umount', container])
        buildah(['rm', container])
      },
    }
  } catch (error) {
    buildah(['rm', container])
    throw error
  }
}
