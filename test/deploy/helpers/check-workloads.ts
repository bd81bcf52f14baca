import {
  at,
  containersOf,
  isRecord,
  LONG_RUNNING_KINDS,
  objectName,
  podSpecOf,
  strings,
  WORKLOAD_KINDS,
  type Json,
  type Manifest,
} from './manifest.ts'

export type WorkloadRule =
  | 'resources'
  | 'probes'
  | 'non-root'
  | 'read-only-root'
  | 'capabilities'
  | 'privilege-escalation'
  | 'seccomp'
  | 'image-pinned'
  | 'pull-policy'
  | 'service-links'
  | 'grace-period'
  | 'service-named-kafka'

export interface Violation {
  readonly rule: WorkloadRule
  readonly where: string
  readonly message: string
}

export interface WorkloadRuleOptions {
  /** `Kind/name/container` of containers allowed a writable root filesystem, with the reason. */
  readonly writableRootAllowed?: Readonly<Record<string, string>>
}

/** The one container of the project allowed a writable root filesystem, and why. */
export const WRITABLE_ROOT_ALLOWED: Readonly<Record<string, string>> = {
  'StatefulSet/kafka-broker/kafka':
    'the apache/kafka image writes its generated server properties under /etc/kafka',
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const

function isPinned(image: string): boolean {
  if (image.includes('@sha256:')) return true
  const lastPart = image.split('/').pop() ?? image
  const tag = lastPart.includes(':') ? lastPart.split(':').pop() : undefined
  return tag !== undefined && tag !== '' && tag !== 'latest'
}

/** The effective value of a security setting: the container's, else the pod's. */
function effective(container: Json, podSpec: Json, ...path: readonly string[]): unknown {
  const own = at(container, 'securityContext', ...path)
  return own !== undefined ? own : at(podSpec, 'securityContext', ...path)
}

function checkContainer(
  object: Manifest,
  podSpec: Json,
  container: Json,
  isInit: boolean,
  options: WorkloadRuleOptions,
): Violation[] {
  const name = typeof container['name'] === 'string' ? container['name'] : '?'
  const where = `${objectName(object)}/${name}`
  const violations: Violation[] = []
  const fail = (rule: WorkloadRule, message: string): void => {
    violations.push({ rule, where, message })
  }
  const requests = at(container, 'resources', 'requests')
  const limits = at(container, 'resources', 'limits')
  if (
    at(requests, 'cpu') === undefined ||
    at(requests, 'memory') === undefined ||
    at(limits, 'memory') === undefined
  ) {
    fail('resources', 'needs resources.requests.cpu, resources.requests.memory and resources.limits.memory')
  }
  if (LONG_RUNNING_KINDS.has(object.kind) && !isInit) {
    const missing = PROBES.filter((probe) => !isRecord(container[probe]))
    if (missing.length > 0) fail('probes', `a long-running container needs ${missing.join(', ')}`)
  }
  const runAsUser = effective(container, podSpec, 'runAsUser')
  if (effective(container, podSpec, 'runAsNonRoot') !== true || runAsUser === 0) {
    fail('non-root', 'needs securityContext.runAsNonRoot: true (and no runAsUser 0)')
  }
  if (
    at(container, 'securityContext', 'readOnlyRootFilesystem') !== true &&
    options.writableRootAllowed?.[where] === undefined
  ) {
    fail('read-only-root', 'needs securityContext.readOnlyRootFilesystem: true (writes go to an emptyDir)')
  }
  if (!strings(at(container, 'securityContext', 'capabilities', 'drop')).includes('ALL')) {
    fail('capabilities', 'needs securityContext.capabilities.drop: [ALL]')
  }
  if (
    at(container, 'securityContext', 'allowPrivilegeEscalation') !== false ||
    at(container, 'securityContext', 'privileged') === true
  ) {
    fail('privilege-escalation', 'needs securityContext.allowPrivilegeEscalation: false and no privileged')
  }
  if (effective(container, podSpec, 'seccompProfile', 'type') !== 'RuntimeDefault') {
    fail('seccomp', 'needs seccompProfile.type: RuntimeDefault (pod or container)')
  }
  const image = container['image']
  if (typeof image !== 'string' || !isPinned(image))
    fail('image-pinned', `image ${String(image)} needs a tag (not latest) or a digest`)
  if (typeof container['imagePullPolicy'] !== 'string')
    fail('pull-policy', 'needs an explicit imagePullPolicy')
  return violations
}

/**
 * The project's rules for every workload of a rendered overlay: resources, probes on long-running
 * containers, a non-root hardened security context, pinned images, no service links, a grace
 * period, and no Service named `kafka` (Kubernetes would inject KAFKA_PORT into every pod).
 */
export function checkWorkloads(objects: readonly Manifest[], options: WorkloadRuleOptions = {}): Violation[] {
  const violations: Violation[] = []
  for (const object of objects) {
    if (object.kind === 'Service' && object.metadata.name === 'kafka') {
      violations.push({
        rule: 'service-named-kafka',
        where: objectName(object),
        message: 'a Service named kafka injects KAFKA_PORT into pods',
      })
    }
    if (!WORKLOAD_KINDS.has(object.kind)) continue
    const podSpec = podSpecOf(object)
    if (podSpec === undefined) continue
    if (podSpec['enableServiceLinks'] !== false) {
      violations.push({
        rule: 'service-links',
        where: objectName(object),
        message: 'needs enableServiceLinks: false',
      })
    }
    if (LONG_RUNNING_KINDS.has(object.kind) && typeof podSpec['terminationGracePeriodSeconds'] !== 'number') {
      violations.push({
        rule: 'grace-period',
        where: objectName(object),
        message: 'needs terminationGracePeriodSeconds',
      })
    }
    for (const { container, isInit } of containersOf(podSpec)) {
      violations.push(...checkContainer(object, podSpec, container, isInit, options))
    }
  }
  return violations
}
