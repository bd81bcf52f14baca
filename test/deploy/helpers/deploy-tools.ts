import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { accessSync, constants, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export const INSTALLER = 'scripts/install-deploy-tools.sh'

interface ToolEntry {
  readonly path: string
  readonly version: string
}

/** What scripts/install-deploy-tools.sh records in tools.json. */
export interface DeployTools {
  readonly installerSha256: string
  readonly kustomize: ToolEntry
  readonly kubeconform: ToolEntry
  readonly hadolint: ToolEntry
  readonly checkJsonschema: ToolEntry
  readonly kubernetesSchemas: { readonly path: string; readonly source: string; readonly versions: string }
  readonly crdSchemas: {
    readonly path: string
    readonly strimzi: string
    readonly prometheusOperator: string
  }
}

export interface CommandResult {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

export function deployToolsDir(): string {
  const cache = process.env['QUOTECAST_CACHE']
  return join(
    cache !== undefined && cache !== '' ? cache : join(homedir(), '.cache', 'quotecast'),
    'deploy-tools',
  )
}

const notInstalled = (why: string): Error =>
  new Error(
    `the deployment checks need their tools, and ${why}.\nInstall them with: bash ${INSTALLER}  (after npm ci)`,
  )

/**
 * Reads the tools the installer recorded. Throws, so the calling test fails (never skips), when
 * they are missing, or were installed by a different version of the installer.
 */
export function loadDeployTools(): DeployTools {
  const manifest = join(deployToolsDir(), 'tools.json')
  let tools: DeployTools
  try {
    tools = JSON.parse(readFileSync(manifest, 'utf8')) as DeployTools
  } catch {
    throw notInstalled(`${manifest} does not exist`)
  }
  const installerSha256 = createHash('sha256').update(readFileSync(INSTALLER)).digest('hex')
  if (tools.installerSha256 !== installerSha256) {
    throw notInstalled(`${manifest} was written by another version of ${INSTALLER}`)
  }
  for (const tool of [tools.kustomize, tools.kubeconform, tools.hadolint, tools.checkJsonschema]) {
    try {
      accessSync(tool.path, constants.X_OK)
    } catch {
      throw notInstalled(`${tool.path} is missing`)
    }
  }
  return tools
}

/** Runs a tool to completion; a tool that cannot start is an error, not a result. */
export function runTool(path: string, args: readonly string[], input?: string): CommandResult {
  const result = spawnSync(path, args, {
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  })
  if (result.error !== undefined) throw new Error(`could not run ${path}: ${result.error.message}`)
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr }
}
