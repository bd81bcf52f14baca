import { CONFIG_MAP } from './check-kafka.ts'
import {
  at,
  containersOf,
  isRecord,
  objectName,
  podLabelsOf,
  podSpecOf,
  records,
  WORKLOAD_KINDS,
  type Json,
  type Manifest,
} from './manifest.ts'

/** The label that NetworkPolicies (and Strimzi's networkPolicyPeers) admit to Kafka. */
export const KAFKA_CLIENT_LABEL = 'quotecast.io/kafka-client'

function isKafkaClientPeer(peer: Json): boolean {
  const keys = Object.keys(peer)
  const labels = at(peer, 'podSelector', 'matchLabels')
  return keys.length === 1 && isRecord(labels) && labels[KAFKA_CLIENT_LABEL] === 'true'
}

function matches(selector: unknown, labels: Json): boolean {
  const wanted = at(selector, 'matchLabels')
  return isRecord(wanted) && Object.entries(wanted).every(([key, value]) => labels[key] === value)
}

function usesQuotecastConfig(podSpec: Json): boolean {
  return containersOf(podSpec).some(({ container }) =>
    records(container['envFrom']).some((source) =>
      String(at(source, 'configMapRef', 'name')).startsWith(CONFIG_MAP),
    ),
  )
}

/**
 * Only quotecast's pods reach Kafka: every pod that reads the quotecast config carries the client
 * label; ingress is denied by default; the self-hosted broker admits only client-labelled pods
 * (and itself), and every Strimzi listener only client-labelled pods.
 */
export function checkKafkaAccess(objects: readonly Manifest[]): string[] {
  const problems: string[] = []
  for (const object of objects.filter((candidate) => WORKLOAD_KINDS.has(candidate.kind))) {
    const podSpec = podSpecOf(object)
    if (
      podSpec !== undefined &&
      usesQuotecastConfig(podSpec) &&
      podLabelsOf(object)[KAFKA_CLIENT_LABEL] !== 'true'
    ) {
      problems.push(
        `${objectName(object)}: talks to Kafka but its pods lack the label ${KAFKA_CLIENT_LABEL}: "true"`,
      )
    }
  }
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy')
  const denyAll = policies.some(
    (policy) =>
      isRecord(at(policy, 'spec', 'podSelector')) &&
      Object.keys(at(policy, 'spec', 'podSelector') as Json).length === 0 &&
      at(policy, 'spec', 'ingress') === undefined,
  )
  if (!denyAll) problems.push('no default-deny ingress NetworkPolicy')

  const cluster = objects.find((object) => object.kind === 'Kafka')
  if (cluster !== undefined) {
    for (const listener of records(at(cluster, 'spec', 'kafka', 'listeners'))) {
      const peers = records(listener['networkPolicyPeers'])
      if (peers.length === 0 || !peers.every(isKafkaClientPeer)) {
        problems.push(
          `Kafka/${cluster.metadata.name} listener ${String(listener['name'])}: networkPolicyPeers must admit only ${KAFKA_CLIENT_LABEL} pods`,
        )
      }
    }
    return problems
  }
  const brokers = objects.filter(
    (object) =>
      object.kind === 'StatefulSet' && object.metadata.labels?.['app.kubernetes.io/name'] === 'kafka',
  )
  for (const broker of brokers) {
    const brokerLabels = podLabelsOf(broker)
    const guarding = policies.filter((policy) => matches(at(policy, 'spec', 'podSelector'), brokerLabels))
    if (guarding.length === 0)
      problems.push(`${objectName(broker)}: no NetworkPolicy selects the broker pods`)
    for (const policy of guarding) {
      for (const rule of records(at(policy, 'spec', 'ingress'))) {
        const peers = records(rule['from'])
        const isAllowed = (peer: Json): boolean =>
          isKafkaClientPeer(peer) ||
          (Object.keys(peer).length === 1 && matches(peer['podSelector'], brokerLabels))
        if (peers.length === 0 || !peers.every(isAllowed)) {
          problems.push(
            `${objectName(policy)}: admits peers other than ${KAFKA_CLIENT_LABEL} pods and the broker itself`,
          )
        }
      }
    }
  }
  return problems
}
