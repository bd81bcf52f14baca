import { join } from 'node:path'
import { runTool, type DeployTools } from './deploy-tools.ts'

export const OVERLAYS = ['minikube', 'production'] as const
export type Overlay = (typeof OVERLAYS)[number]

/** `kustomize build` of an overlay, as `kubectl apply -k` would render it. */
export function renderOverlay(tools: DeployTools, overlay: Overlay): string {
  const dir = join('deploy', 'k8s', 'overlays', overlay)
  const result = runTool(tools.kustomize.path, ['build', dir])
  if (result.status !== 0) throw new Error(`kustomize build ${dir} failed:\n${result.stderr}`)
  return result.stdout
}

export function kubernetesVersions(tools: DeployTools): string[] {
  return tools.kubernetesSchemas.versions.split(/\s+/).filter((version) => version !== '')
}

export interface ValidationResult {
  readonly kind: string
  readonly name: string
  readonly version: string
  readonly status: 'statusValid' | 'statusInvalid' | 'statusError' | 'statusSkipped' | 'statusEmpty'
  readonly msg: string
}

/**
 * Validates every object of a YAML stream with kubeconform in strict mode (unknown fields and
 * duplicate keys rejected) against the Kubernetes schemas of one version and the CRD schemas.
 * An object without a schema is an error, never skipped.
 */
export function validateManifests(
  tools: DeployTools,
  yaml: string,
  kubernetesVersion: string,
): ValidationResult[] {
  const args = [
    '-strict',
    '-verbose',
    '-output',
    'json',
    '-kubernetes-version',
    kubernetesVersion,
    '-schema-location',
    `${tools.kubernetesSchemas.path}/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json`,
    '-schema-location',
    `${tools.crdSchemas.path}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`,
    '-',
  ]
  const result = runTool(tools.kubeconform.path, args, yaml)
  let parsed: { resources?: ValidationResult[] }
  try {
    parsed = JSON.parse(result.stdout) as { resources?: ValidationResult[] }
  } catch {
    throw new Error(`kubeconform gave no JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
  return parsed.resources ?? []
}

/** One line per object that did not validate, for an assertion message. */
export function describeFailures(results: readonly ValidationResult[]): string[] {
  return results
    .filter((result) => result.status !== 'statusValid')
    .map((result) => `${result.kind}/${result.name} (${result.version}): ${result.status} ${result.msg}`)
}
