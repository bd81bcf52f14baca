import { parseAllDocuments } from 'yaml'

/** A Kubernetes object as parsed from YAML: only what every object has is typed. */
export interface Manifest {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: {
    readonly name: string
    readonly namespace?: string
    readonly labels?: Record<string, string>
  }
  readonly [field: string]: unknown
}

export type Json = Record<string, unknown>

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Follows a path of keys through nested objects; undefined as soon as one is missing. */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value
  for (const key of path) {
    if (!isRecord(current)) return undefined
    current = current[key]
  }
  return current
}

export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : []
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

export function objectName(object: Manifest): string {
  return `${object.kind}/${object.metadata.name}`
}

/** Parses a multi-document YAML stream (kustomize's output) into its non-empty documents. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0)
        throw new Error(`invalid YAML: ${document.errors.map(String).join('; ')}`)
      return document.toJS() as unknown
    })
    .filter((object): object is Manifest => isRecord(object) && typeof object['kind'] === 'string')
}

/** The pod template of a workload, and where it sits in the object. */
export function podSpecOf(object: Manifest): Json | undefined {
  const spec =
    object.kind === 'CronJob'
      ? at(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec')
      : object.kind === 'Pod'
        ? at(object, 'spec')
        : at(object, 'spec', 'template', 'spec')
  return isRecord(spec) ? spec : undefined
}

export function podLabelsOf(object: Manifest): Json {
  const labels =
    object.kind === 'CronJob'
      ? at(object, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels')
      : at(object, 'spec', 'template', 'metadata', 'labels')
  return isRecord(labels) ? labels : {}
}

export const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
])
/** Workloads whose containers run until stopped, and so need probes. */
export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'])

export function containersOf(podSpec: Json): { container: Json; isInit: boolean }[] {
  return [
    ...records(podSpec['initContainers']).map((container) => ({ container, isInit: true })),
    ...records(podSpec['containers']).map((container) => ({ container, isInit: false })),
  ]
}

/** The quotecast image, under whatever registry and tag an overlay gives it. */
export function isQuotecastImage(image: unknown): boolean {
  return typeof image === 'string' && (image.split('/').pop() ?? '').split(/[:@]/)[0] === 'quotecast'
}

/** The image of every quotecast container (init containers included) of the rendered objects. */
export function quotecastImagesOf(objects: readonly Manifest[]): string[] {
  return objects.flatMap((object) => {
    const podSpec = podSpecOf(object)
    return podSpec === undefined
      ? []
      : containersOf(podSpec)
          .map(({ container }) => container['image'])
          .filter((image): image is string => isQuotecastImage(image))
  })
}
