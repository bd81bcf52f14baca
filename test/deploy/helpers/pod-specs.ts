// From rendered manifests (or compose.yaml) to what a container runtime would run: the command
// line, the environment with every reference resolved from the rendered objects, the user, the
// writable folders and the probes. Pure: the runner (test/integration/manifests-run.test.ts)
// executes what this returns, and the problems it finds name the workload and the field.
import { loadConfig } from '../../../src/platform/config/load-config.ts'
import { SETTINGS, type Setting } from '../../../src/platform/config/settings.ts'
import { NON_SETTING_CONFIG_KEYS } from './check-kafka.ts'
import {
  at,
  containersOf,
  isQuotecastImage,
  isRecord,
  objectName,
  podSpecOf,
  records,
  strings,
  WORKLOAD_KINDS,
  type Json,
  type Manifest,
} from './manifest.ts'

export type ProbeField = 'startupProbe' | 'readinessProbe' | 'livenessProbe'
export const PROBE_FIELDS: readonly ProbeField[] = ['startupProbe', 'readinessProbe', 'livenessProbe']

export interface Probe {
  readonly field: ProbeField
  readonly kind: 'httpGet' | 'tcpSocket' | 'exec'
  readonly path?: string
  readonly port?: number
  /** exec probes (compose healthchecks): the command run in the container. */
  readonly command?: readonly string[]
}

export interface ContainerRun {
  /** `Deployment/processor`, `compose processor`. */
  readonly workload: string
  readonly kind: string
  readonly container: string
  /** The pod's name (what a fieldRef to metadata.name gives): the workload's name and `-0`. */
  readonly podName: string
  /** Replaces the image's entrypoint when set. */
  readonly command?: readonly string[]
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string>>
  /** `uid:gid`; undefined: the image's USER. */
  readonly user?: string
  readonly readOnlyRoot: boolean
  /** Folders mounted writable and empty (emptyDir, tmpfs). */
  readonly writable: readonly string[]
  /** Folders mounted read-only and empty (an optional Secret that does not exist). */
  readonly emptyReadOnly: readonly string[]
  readonly probes: readonly Probe[]
  /** Declared container ports by name (compose: by number). */
  readonly ports: Readonly<Record<string, number>>
  /** What a Job would do: run to completion (Job, CronJob, compose `restart: no`). */
  readonly runsToCompletion: boolean
}

/** What the image and its CLI are, from the image's config and `quotecast --help`. */
export interface ImageFacts {
  readonly entrypoint: readonly string[]
  /** Each command's long options (test/deploy/helpers/cli-help.ts). */
  readonly commands: ReadonlyMap<string, ReadonlySet<string>>
}

export interface Resolved {
  readonly runs: ContainerRun[]
  readonly problems: string[]
}

const SETTING_LIST: readonly (Setting & { name: string })[] = Object.entries(SETTINGS).map(
  ([name, setting]: [string, Setting]) => ({ ...setting, name }),
)
const SETTING_BY_FLAG = new Map(SETTING_LIST.map((setting) => [`--${setting.flag}`, setting.name]))
/** Environment names the code reads: its settings, and what kustomize alone reads from the ConfigMap. */
export const READ_ENV: ReadonlySet<string> = new Set([
  ...SETTING_LIST.map((setting) => setting.env),
  ...NON_SETTING_CONFIG_KEYS,
])

/** Setting values given as flags in a command line (`--port 8080`, `--port=8080`). */
export function flagsOf(args: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {}
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? ''
    if (!arg.startsWith('--')) continue
    const [flag = arg, inline] = arg.split(/=(.*)/s)
    const name = SETTING_BY_FLAG.get(flag)
    const next = args[index + 1]
    const value = inline ?? (next !== undefined && !next.startsWith('--') ? next : undefined)
    if (inline === undefined && value !== undefined) index += 1
    if (name !== undefined && value !== undefined) flags[name] = value
  }
  return flags
}

/**
 * The ports a quotecast command line listens on, by what opens them, as the code's own settings
 * resolve them: `--port`/PORT for a command that has `--port` (serve) and its `--metrics-port`/
 * QUOTECAST_METRICS_PORT when set, `--health-port`/QUOTECAST_HEALTH_PORT for the background
 * services (and `fetch --watch`).
 */
export function listeningPorts(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  facts: ImageFacts,
): Map<number, string> {
  const [command, ...rest] = args
  const options = command === undefined ? undefined : facts.commands.get(command)
  const ports = new Map<number, string>()
  if (options === undefined) return ports
  const result = loadConfig(['httpPort', 'healthPort', 'metricsPort'], { flags: flagsOf(rest), env })
  if (!result.ok) return ports
  const health = options.has('--health-port') && (command !== 'fetch' || rest.includes('--watch'))
  if (options.has('--port')) ports.set(result.value.httpPort, '--port / PORT')
  if (options.has('--metrics-port') && result.value.metricsPort !== undefined)
    ports.set(result.value.metricsPort, '--metrics-port / QUOTECAST_METRICS_PORT')
  if (health) ports.set(result.value.healthPort, '--health-port / QUOTECAST_HEALTH_PORT')
  return ports
}

/** A manifest's scalar (YAML may give a number or a boolean) as the string a container sees. */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value)
}

function find(objects: readonly Manifest[], kind: string, name: string): Manifest | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name)
}

/** A ConfigMap's data or a Secret's data/stringData (base64 decoded), by key. */
function dataOf(object: Manifest): Record<string, string> {
  const values: Record<string, string> = {}
  if (object.kind === 'Secret') {
    for (const [key, value] of Object.entries(isRecord(object['data']) ? object['data'] : {}))
      values[key] = Buffer.from(String(value), 'base64').toString('utf8')
    for (const [key, value] of Object.entries(isRecord(object['stringData']) ? object['stringData'] : {}))
      values[key] = String(value)
  } else {
    for (const [key, value] of Object.entries(isRecord(object['data']) ? object['data'] : {}))
      values[key] = String(value)
  }
  return values
}

interface Context {
  readonly objects: readonly Manifest[]
  readonly facts: ImageFacts
  readonly problems: string[]
}

function resolveEnv(
  context: Context,
  where: string,
  container: Json,
  podName: string,
  namespace: string,
): Record<string, string> {
  const env: Record<string, string> = {}
  const fromRef = (refField: string, ref: unknown, kind: 'ConfigMap' | 'Secret'): Manifest | undefined => {
    const name = String(at(ref, 'name'))
    const object = find(context.objects, kind, name)
    if (object === undefined && at(ref, 'optional') !== true)
      context.problems.push(`${where}: ${refField}: ${kind} ${name} is not among the rendered objects`)
    return object
  }
  records(container['envFrom']).forEach((source, index) => {
    for (const kind of ['ConfigMap', 'Secret'] as const) {
      const refKey = kind === 'ConfigMap' ? 'configMapRef' : 'secretRef'
      if (source[refKey] === undefined) continue
      const object = fromRef(`envFrom[${index}].${refKey}`, source[refKey], kind)
      for (const [key, value] of Object.entries(object === undefined ? {} : dataOf(object))) {
        const name = `${typeof source['prefix'] === 'string' ? source['prefix'] : ''}${key}`
        if (!READ_ENV.has(name))
          context.problems.push(
            `${where}: envFrom[${index}].${refKey} (${kind} ${object?.metadata.name}): ${name} is not an environment variable quotecast reads (src/platform/config/settings.ts)`,
          )
        env[name] = value
      }
    }
  })
  records(container['env']).forEach((entry, index) => {
    const name = String(entry['name'])
    const field = `env[${index}] ${name}`
    if (!READ_ENV.has(name))
      context.problems.push(
        `${where}: ${field}: not an environment variable quotecast reads (src/platform/config/settings.ts)`,
      )
    if (entry['value'] !== undefined) {
      env[name] = scalar(entry['value'])
      return
    }
    const from = entry['valueFrom']
    for (const [refKey, kind] of [
      ['configMapKeyRef', 'ConfigMap'],
      ['secretKeyRef', 'Secret'],
    ] as const) {
      const ref = at(from, refKey)
      if (ref === undefined) continue
      const object = fromRef(`${field}.valueFrom.${refKey}`, ref, kind)
      const key = String(at(ref, 'key'))
      const value = object === undefined ? undefined : dataOf(object)[key]
      if (object !== undefined && value === undefined && at(ref, 'optional') !== true)
        context.problems.push(
          `${where}: ${field}.valueFrom.${refKey}: ${kind} ${object.metadata.name} has no key ${key}`,
        )
      if (value !== undefined) env[name] = value
      return
    }
    const fieldPath = at(from, 'fieldRef', 'fieldPath')
    if (fieldPath === 'metadata.name') env[name] = podName
    else if (fieldPath === 'metadata.namespace') env[name] = namespace
    else context.problems.push(`${where}: ${field}.valueFrom: not resolvable here (${JSON.stringify(from)})`)
  })
  return env
}

function portNumber(value: unknown, ports: Readonly<Record<string, number>>): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value)
  return typeof value === 'string' ? ports[value] : undefined
}

function checkCommandLine(context: Context, where: string, run: ContainerRun): void {
  if (run.command !== undefined && run.command.join(' ') !== context.facts.entrypoint.join(' ')) {
    context.problems.push(
      `${where}: command: [${run.command.join(', ')}] replaces the image's entrypoint [${context.facts.entrypoint.join(', ')}]`,
    )
    return
  }
  const [command, ...rest] = run.args
  const options = command === undefined ? undefined : context.facts.commands.get(command)
  if (options === undefined) {
    context.problems.push(
      `${where}: args[0]: ${JSON.stringify(command)} is not a quotecast command (${[...context.facts.commands.keys()].join(', ')})`,
    )
    return
  }
  rest.forEach((arg, index) => {
    const flag = arg.split('=')[0] ?? arg
    if (arg.startsWith('--') && !options.has(flag))
      context.problems.push(`${where}: args[${index + 1}]: quotecast ${command} has no option ${flag}`)
  })
  const config = loadConfig(
    SETTING_LIST.map((setting) => setting.name as keyof typeof SETTINGS),
    { flags: flagsOf(rest), env: run.env },
  )
  if (!config.ok) context.problems.push(`${where}: env/args: ${config.error}`)
}

function checkPorts(context: Context, where: string, run: ContainerRun, portField: string): void {
  const listening = listeningPorts(run.args, run.env, context.facts)
  const described = [...listening].map(([port, by]) => `${port} (${by})`).join(', ') || 'none'
  for (const [name, port] of Object.entries(run.ports)) {
    if (!listening.has(port))
      context.problems.push(
        `${where}: ${portField}[${name}]: ${port} is not a port ${run.args.join(' ')} listens on: ${described}`,
      )
  }
  for (const probe of run.probes) {
    if (probe.kind === 'exec' || probe.port === undefined) continue
    if (!listening.has(probe.port))
      context.problems.push(
        `${where}: ${probe.field}.${probe.kind}.port: ${probe.port} is not a port ${run.args.join(' ')} listens on: ${described}`,
      )
  }
}

/** The quotecast containers of rendered Kubernetes objects, as runs, and what is wrong with them. */
export function podRuns(objects: readonly Manifest[], facts: ImageFacts): Resolved {
  const context: Context = { objects, facts, problems: [] }
  const runs: ContainerRun[] = []
  for (const object of objects) {
    const podSpec = WORKLOAD_KINDS.has(object.kind) ? podSpecOf(object) : undefined
    if (podSpec === undefined) continue
    const workload = objectName(object)
    const namespace = object.metadata.namespace ?? 'default'
    const podName = `${object.metadata.name}-0`
    const volumes = new Map(records(podSpec['volumes']).map((volume) => [String(volume['name']), volume]))
    for (const { container, isInit } of containersOf(podSpec)) {
      if (!isQuotecastImage(container['image'])) continue
      const name = String(container['name'])
      const list = isInit ? 'initContainers' : 'containers'
      const where = `${workload} ${list}[${name}]`
      const ports: Record<string, number> = {}
      for (const port of records(container['ports']))
        ports[String(port['name'] ?? port['containerPort'])] = Number(port['containerPort'])
      const probes: Probe[] = []
      for (const field of PROBE_FIELDS) {
        const probe = container[field]
        if (!isRecord(probe)) continue
        const kind =
          probe['httpGet'] !== undefined ? 'httpGet' : probe['tcpSocket'] !== undefined ? 'tcpSocket' : 'exec'
        if (kind === 'exec') {
          probes.push({ field, kind, command: strings(at(probe, 'exec', 'command')) })
          continue
        }
        const declared = at(probe, kind, 'port')
        const port = portNumber(declared, ports)
        if (port === undefined)
          context.problems.push(
            `${where}: ${field}.${kind}.port: ${String(declared)} is not a declared container port`,
          )
        const path = at(probe, kind, 'path')
        probes.push({
          field,
          kind,
          ...(port === undefined ? {} : { port }),
          ...(typeof path === 'string' ? { path } : {}),
        })
      }
      const security = (key: string): unknown =>
        at(container, 'securityContext', key) ?? at(podSpec, 'securityContext', key)
      const uid = security('runAsUser')
      const gid = security('runAsGroup') ?? uid
      const readOnlyRoot = at(container, 'securityContext', 'readOnlyRootFilesystem') === true
      const writable: string[] = []
      const emptyReadOnly: string[] = []
      records(container['volumeMounts']).forEach((mount, index) => {
        const volume = volumes.get(String(mount['name']))
        const path = String(mount['mountPath'])
        const field = `volumeMounts[${index}] ${path}`
        if (volume === undefined) {
          context.problems.push(`${where}: ${field}: no volume ${String(mount['name'])} in the pod`)
        } else if (volume['emptyDir'] !== undefined) {
          if (mount['readOnly'] === true) emptyReadOnly.push(path)
          else writable.push(path)
        } else if (volume['secret'] !== undefined) {
          const secret = String(at(volume, 'secret', 'secretName'))
          if (find(objects, 'Secret', secret) !== undefined)
            context.problems.push(`${where}: ${field}: mounting Secret ${secret}'s files is not done here`)
          else if (at(volume, 'secret', 'optional') === true) emptyReadOnly.push(path)
          else context.problems.push(`${where}: ${field}: Secret ${secret} is not among the rendered objects`)
        } else {
          context.problems.push(`${where}: ${field}: only emptyDir and optional Secret volumes are run here`)
        }
      })
      const command = container['command'] === undefined ? undefined : strings(container['command'])
      const run: ContainerRun = {
        workload,
        kind: object.kind,
        container: name,
        podName,
        ...(command === undefined ? {} : { command }),
        args: strings(container['args']),
        env: resolveEnv(context, where, container, podName, namespace),
        ...(uid === undefined ? {} : { user: `${scalar(uid)}:${scalar(gid)}` }),
        readOnlyRoot,
        writable,
        emptyReadOnly,
        probes,
        ports,
        runsToCompletion: object.kind === 'Job' || object.kind === 'CronJob' || isInit,
      }
      checkCommandLine(context, where, run)
      checkPorts(context, where, run, 'ports')
      runs.push(run)
    }
  }
  return { runs, problems: context.problems }
}

/** compose.yaml's quotecast services (parsed with YAML merge keys), as runs. */
export function composeRuns(compose: { services: Record<string, Json> }, facts: ImageFacts): Resolved {
  const context: Context = { objects: [], facts, problems: [] }
  const runs: ContainerRun[] = []
  for (const [service, spec] of Object.entries(compose.services)) {
    if (!isQuotecastImage(spec['image'])) continue
    const workload = `compose ${service}`
    const env: Record<string, string> = {}
    const environment = spec['environment']
    if (Array.isArray(environment)) {
      for (const entry of strings(environment)) {
        const at = entry.indexOf('=')
        if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1)
      }
    } else if (isRecord(environment)) {
      for (const [key, value] of Object.entries(environment)) env[key] = String(value)
    }
    for (const name of Object.keys(env)) {
      if (!READ_ENV.has(name))
        context.problems.push(`${workload}: environment.${name}: not an environment variable quotecast reads`)
    }
    const ports: Record<string, number> = {}
    for (const port of strings(spec['ports'])) {
      const target = Number(port.split(':').pop())
      ports[String(target)] = target
    }
    const healthcheck = spec['healthcheck']
    const probes: Probe[] = []
    if (isRecord(healthcheck)) {
      const test = strings(healthcheck['test'])
      if (test[0] === 'CMD') probes.push({ field: 'readinessProbe', kind: 'exec', command: test.slice(1) })
      else context.problems.push(`${workload}: healthcheck.test: only the CMD form is run here`)
      // A healthcheck that fetches a local URL must name a port the command listens on.
      const url = /https?:\/\/[^/:]+:(\d+)/.exec(test.join(' '))
      const listening = listeningPorts(strings(spec['command']), env, facts)
      if (url !== null && !listening.has(Number(url[1])))
        context.problems.push(
          `${workload}: healthcheck.test: port ${url[1]} is not a port ${strings(spec['command']).join(' ')} listens on: ${[...listening].map(([port, by]) => `${port} (${by})`).join(', ') || 'none'}`,
        )
    }
    const tmpfs = strings(spec['tmpfs']).map((entry) => entry.split(':')[0] ?? entry)
    const command = spec['entrypoint'] === undefined ? undefined : strings(spec['entrypoint'])
    const run: ContainerRun = {
      workload,
      kind: 'compose',
      container: service,
      podName: service,
      ...(command === undefined ? {} : { command }),
      args: strings(spec['command']),
      env,
      ...(typeof spec['user'] === 'string' ? { user: spec['user'] } : {}),
      readOnlyRoot: spec['read_only'] === true,
      writable: tmpfs,
      emptyReadOnly: [],
      probes,
      ports,
      runsToCompletion: spec['restart'] === 'no',
    }
    checkCommandLine(context, workload, run)
    checkPorts(context, workload, run, 'ports')
    runs.push(run)
  }
  return { runs, problems: context.problems }
}

/**
 * /etc/hosts lines standing in for cluster DNS: each Service's names (short, with the namespace,
 * and `.svc.cluster.local`) and, for a headless Service governing a StatefulSet, each pod's
 * `<pod>.<service>` names, pointing at the address the runner gave the pod (by pod name).
 */
export function clusterHosts(
  objects: readonly Manifest[],
  podAddresses: ReadonlyMap<string, string>,
): string[] {
  const lines: string[] = []
  for (const service of objects.filter((object) => object.kind === 'Service')) {
    const name = service.metadata.name
    const namespace = service.metadata.namespace ?? 'default'
    const names = (host: string): string =>
      [
        host,
        `${host}.${namespace}`,
        `${host}.${namespace}.svc`,
        `${host}.${namespace}.svc.cluster.local`,
      ].join(' ')
    const selector = at(service, 'spec', 'selector')
    if (!isRecord(selector)) continue
    const matches = (labels: unknown): boolean =>
      isRecord(labels) && Object.entries(selector).every(([key, value]) => labels[key] === value)
    for (const workload of objects.filter((object) => WORKLOAD_KINDS.has(object.kind))) {
      const labels = at(workload, 'spec', 'template', 'metadata', 'labels')
      const pod = `${workload.metadata.name}-0`
      const address = podAddresses.get(pod)
      if (address === undefined || !matches(labels)) continue
      lines.push(`${address} ${names(name)}`)
      if (workload.kind === 'StatefulSet' && at(workload, 'spec', 'serviceName') === name)
        lines.push(`${address} ${names(`${pod}.${name}`)}`)
    }
  }
  return lines
}
