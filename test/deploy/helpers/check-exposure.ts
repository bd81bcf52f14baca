import { configMapData } from './check-kafka.ts'
import {
  at,
  containersOf,
  isQuotecastImage,
  isRecord,
  objectName,
  podLabelsOf,
  podSpecOf,
  records,
  strings,
  WORKLOAD_KINDS,
  type Json,
  type Manifest,
} from './manifest.ts'

const EVERY_INTERFACE = '0.0.0.0'

/** The value of an environment variable of a container: its own env first, then the ConfigMap. */
function envOf(container: Json, name: string, config: Readonly<Record<string, string>>): string | undefined {
  const own = records(container['env']).find((entry) => entry['name'] === name)
  return typeof own?.['value'] === 'string' ? own['value'] : config[name]
}

/** A label selector with matchLabels and matchExpressions (In only) selects these labels. */
function selectsPod(selector: unknown, labels: Json): boolean {
  const wanted = at(selector, 'matchLabels')
  const expressions = records(at(selector, 'matchExpressions'))
  const isEmpty = !isRecord(wanted) && expressions.length === 0
  return (
    isEmpty ||
    ((!isRecord(wanted) || Object.entries(wanted).every(([key, value]) => labels[key] === value)) &&
      expressions.every(
        (expression) =>
          expression['operator'] === 'In' &&
          Array.isArray(expression['values']) &&
          expression['values'].includes(labels[String(expression['key'])]),
      ))
  )
}

/** Components that call the market-data providers on the internet. */
const PROVIDER_CLIENTS = new Set(['fetcher', 'backfill'])

/**
 * Every quotecast pod's egress is limited by a NetworkPolicy, and only the fetcher's and the
 * backfill's reach addresses outside the cluster (an ipBlock), on 443 only.
 */
function checkEgress(objects: readonly Manifest[]): string[] {
  const problems: string[] = []
  const policies = objects.filter(
    (object) =>
      object.kind === 'NetworkPolicy' && strings(at(object, 'spec', 'policyTypes')).includes('Egress'),
  )
  for (const workload of objects.filter((object) => WORKLOAD_KINDS.has(object.kind))) {
    const podSpec = podSpecOf(workload)
    if (
      podSpec === undefined ||
      !containersOf(podSpec).some(({ container }) => isQuotecastImage(container['image']))
    )
      continue
    const labels = podLabelsOf(workload)
    const applying = policies.filter((policy) => selectsPod(at(policy, 'spec', 'podSelector'), labels))
    if (applying.length === 0) {
      problems.push(`${objectName(workload)}: egress is not limited by any NetworkPolicy`)
      continue
    }
    const rules = applying.flatMap((policy) => records(at(policy, 'spec', 'egress')))
    const isOpen = rules.some((rule) => records(rule['to']).length === 0)
    const outside = rules.filter((rule) => records(rule['to']).some((peer) => isRecord(peer['ipBlock'])))
    const mayCallProviders = PROVIDER_CLIENTS.has(String(labels['app.kubernetes.io/component']))
    if (isOpen) problems.push(`${objectName(workload)}: an egress rule admits every destination`)
    else if (outside.length > 0 && !mayCallProviders)
      problems.push(`${objectName(workload)}: reaches addresses outside the cluster`)
    else if (
      outside.some(
        (rule) =>
          records(rule['ports']).some((port) => port['port'] !== 443) || records(rule['ports']).length === 0,
      )
    )
      problems.push(`${objectName(workload)}: reaches the internet on other ports than 443`)
  }
  return problems
}

function selects(selector: unknown, labels: Json): boolean {
  return (
    isRecord(selector) &&
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([key, value]) => labels[key] === value)
  )
}

/** What the Ingress routes: each backend's container port and the container behind it. */
function routedContainers(objects: readonly Manifest[]): { where: string; port: number; container: Json }[] {
  const routed: { where: string; port: number; container: Json }[] = []
  for (const ingress of objects.filter((object) => object.kind === 'Ingress')) {
    for (const rule of records(at(ingress, 'spec', 'rules'))) {
      for (const path of records(at(rule, 'http', 'paths'))) {
        const backend = at(path, 'backend', 'service')
        const service = objects.find(
          (object) => object.kind === 'Service' && object.metadata.name === at(backend, 'name'),
        )
        const wanted = at(backend, 'port')
        const servicePort = records(at(service, 'spec', 'ports')).find(
          (port) => port['name'] === at(wanted, 'name') || port['port'] === at(wanted, 'number'),
        )
        const target = servicePort?.['targetPort'] ?? servicePort?.['port']
        for (const workload of objects.filter((object) => WORKLOAD_KINDS.has(object.kind))) {
          const podSpec = podSpecOf(workload)
          if (podSpec === undefined || !selects(at(service, 'spec', 'selector'), podLabelsOf(workload)))
            continue
          for (const { container } of containersOf(podSpec)) {
            const port = records(container['ports']).find(
              (candidate) => candidate['name'] === target || candidate['containerPort'] === target,
            )
            if (typeof port?.['containerPort'] === 'number')
              routed.push({
                where: `${objectName(ingress)} → ${objectName(workload)}/${String(container['name'])}`,
                port: port['containerPort'],
                container,
              })
          }
        }
      }
    }
  }
  return routed
}

/**
 * What is reachable from where: the pods listen on every interface (the probes and the Service
 * come from outside the container), the Ingress routes no port that answers /metrics (the
 * prediction service serves it on its QUOTECAST_METRICS_PORT), the metrics port is admitted from
 * a selected namespace only, Prometheus scrapes only metrics ports, and every pod's egress is
 * limited (`checkEgress`).
 */
export function checkExposure(objects: readonly Manifest[]): string[] {
  const problems: string[] = []
  const config = configMapData(objects) ?? {}
  for (const name of ['HOST', 'QUOTECAST_HEALTH_HOST']) {
    if (config[name] !== EVERY_INTERFACE)
      problems.push(`ConfigMap: ${name} is ${String(config[name])}, the probes need ${EVERY_INTERFACE}`)
  }
  for (const { where, port, container } of routedContainers(objects)) {
    const metricsPort = envOf(container, 'QUOTECAST_METRICS_PORT', config)
    if (metricsPort === undefined || Number(metricsPort) === port)
      problems.push(`${where}: routes port ${port}, which answers /metrics (QUOTECAST_METRICS_PORT unset)`)
  }
  for (const policy of objects.filter((object) => object.kind === 'NetworkPolicy')) {
    for (const rule of records(at(policy, 'spec', 'ingress'))) {
      if (!records(rule['ports']).some((port) => port['port'] === 'metrics')) continue
      const peers = records(rule['from'])
      const isNamespaceOnly =
        peers.length > 0 &&
        peers.every(
          (peer) =>
            Object.keys(peer).length === 1 &&
            isRecord(at(peer, 'namespaceSelector', 'matchLabels')) &&
            Object.keys(at(peer, 'namespaceSelector', 'matchLabels') as Json).length > 0,
        )
      if (!isNamespaceOnly)
        problems.push(`${objectName(policy)}: admits the metrics port from other than a selected namespace`)
    }
  }
  problems.push(...checkEgress(objects))
  for (const monitor of objects.filter((object) => object.kind === 'ServiceMonitor')) {
    for (const endpoint of records(at(monitor, 'spec', 'endpoints'))) {
      if (endpoint['port'] !== 'metrics')
        problems.push(`${objectName(monitor)}: scrapes port ${String(endpoint['port'])}, not metrics`)
    }
  }
  return problems
}
