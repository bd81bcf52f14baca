import type { TopicSpec } from '../../../src/core/contracts/topics.ts'
import { loadConfig } from '../../../src/platform/config/load-config.ts'
import { SETTINGS, type SettingName } from '../../../src/platform/config/settings.ts'
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

/** Keys of the ConfigMap that are not quotecast settings: kustomize copies them into the CronJob. */
export const NON_SETTING_CONFIG_KEYS = new Set(['FETCH_SCHEDULE', 'FETCH_TIME_ZONE'])
export const CONFIG_MAP = 'quotecast-config'
const REPLICATION_FACTOR = 3
const MIN_IN_SYNC_REPLICAS = 2

export interface KafkaExpectations {
  readonly topicSpecs: (partitions: number, prefix?: string) => TopicSpec[]
  /** The Apache Kafka release the test suite runs against (src/platform/kafka-broker/kafka-version.ts). */
  readonly kafkaVersion: string
}

export function configMapData(objects: readonly Manifest[]): Record<string, string> | undefined {
  const configMap = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith(CONFIG_MAP),
  )
  const data = configMap?.['data']
  return isRecord(data) ? (data as Record<string, string>) : undefined
}

/** The ConfigMap holds only quotecast settings, and quotecast's own validation accepts them. */
export function checkConfig(data: Readonly<Record<string, string>>): string[] {
  const byEnv = new Map<string, SettingName>(
    Object.entries(SETTINGS).map(([name, setting]) => [setting.env, name as SettingName]),
  )
  const problems = Object.keys(data)
    .filter((key) => !byEnv.has(key) && !NON_SETTING_CONFIG_KEYS.has(key))
    .map((key) => `${CONFIG_MAP}: ${key} is not a quotecast setting (src/platform/config/settings.ts)`)
  const result = loadConfig([...byEnv.values()], { flags: {}, env: data })
  if (!result.ok) problems.push(`${CONFIG_MAP}: ${result.error}`)
  return problems
}

function topicSettings(data: Readonly<Record<string, string>>): { partitions: number; prefix: string } {
  const result = loadConfig(['partitions', 'topicPrefix'], { flags: {}, env: data })
  if (!result.ok) throw new Error(result.error)
  return { partitions: result.value.partitions, prefix: result.value.topicPrefix }
}

const sameMinor = (a: string, b: string): boolean =>
  a.split('.').slice(0, 2).join('.') === b.split('.').slice(0, 2).join('.')

function checkStrimzi(
  objects: readonly Manifest[],
  data: Readonly<Record<string, string>>,
  expected: KafkaExpectations,
): string[] {
  const problems: string[] = []
  const clusters = objects.filter((object) => object.kind === 'Kafka')
  const cluster = clusters[0]
  if (clusters.length !== 1 || cluster === undefined)
    return [`expected one Kafka resource, found ${clusters.length}`]
  const clusterName = cluster.metadata.name
  const config = at(cluster, 'spec', 'kafka', 'config')
  const wanted: Record<string, string> = {
    'default.replication.factor': String(REPLICATION_FACTOR),
    'min.insync.replicas': String(MIN_IN_SYNC_REPLICAS),
    'offsets.topic.replication.factor': String(REPLICATION_FACTOR),
    'transaction.state.log.replication.factor': String(REPLICATION_FACTOR),
    'transaction.state.log.min.isr': String(MIN_IN_SYNC_REPLICAS),
    'auto.create.topics.enable': 'false',
  }
  for (const [key, value] of Object.entries(wanted)) {
    if (String(at(config, key)) !== value)
      problems.push(`Kafka/${clusterName}: ${key} is ${String(at(config, key))}, expected ${value}`)
  }
  const version = String(at(cluster, 'spec', 'kafka', 'version'))
  if (!sameMinor(version, expected.kafkaVersion)) {
    problems.push(
      `Kafka/${clusterName}: version ${version} is not the ${expected.kafkaVersion} line the tests run against`,
    )
  }
  const brokers = objects
    .filter(
      (object) =>
        object.kind === 'KafkaNodePool' && object.metadata.labels?.['strimzi.io/cluster'] === clusterName,
    )
    .filter((pool) => strings(at(pool, 'spec', 'roles')).includes('broker'))
    .reduce((sum, pool) => sum + Number(at(pool, 'spec', 'replicas') ?? 0), 0)
  if (brokers < REPLICATION_FACTOR)
    problems.push(`Kafka/${clusterName}: ${brokers} brokers, need at least ${REPLICATION_FACTOR}`)

  const { partitions, prefix } = topicSettings(data)
  const topics = new Map(
    objects
      .filter((object) => object.kind === 'KafkaTopic')
      .map((topic) => {
        const topicName = at(topic, 'spec', 'topicName')
        return [typeof topicName === 'string' ? topicName : topic.metadata.name, topic]
      }),
  )
  for (const spec of expected.topicSpecs(partitions, prefix)) {
    const topic = topics.get(spec.name)
    topics.delete(spec.name)
    if (topic === undefined) {
      problems.push(`no KafkaTopic for topic ${spec.name}`)
      continue
    }
    const where = objectName(topic)
    if (topic.metadata.labels?.['strimzi.io/cluster'] !== clusterName)
      problems.push(`${where}: not labelled strimzi.io/cluster=${clusterName}`)
    if (at(topic, 'spec', 'partitions') !== spec.partitions) {
      problems.push(
        `${where}: ${String(at(topic, 'spec', 'partitions'))} partitions, topicSpecs says ${spec.partitions}`,
      )
    }
    if (at(topic, 'spec', 'replicas') !== REPLICATION_FACTOR)
      problems.push(`${where}: replicas must be ${REPLICATION_FACTOR}`)
    const topicConfig = at(topic, 'spec', 'config')
    for (const [key, value] of Object.entries(spec.configs)) {
      if (String(at(topicConfig, key)) !== value)
        problems.push(`${where}: ${key} is ${String(at(topicConfig, key))}, topicSpecs says ${value}`)
    }
    const minIsr = at(topicConfig, 'min.insync.replicas') ?? at(config, 'min.insync.replicas')
    if (String(minIsr) !== String(MIN_IN_SYNC_REPLICAS))
      problems.push(`${where}: min.insync.replicas must be ${MIN_IN_SYNC_REPLICAS}`)
  }
  for (const name of topics.keys()) problems.push(`KafkaTopic for ${name} is not one of topicSpecs()`)

  const listeners = records(at(cluster, 'spec', 'kafka', 'listeners'))
  const [host, port] = (data['KAFKA_BOOTSTRAP_SERVERS'] ?? '').split(':')
  const listener = listeners.find((candidate) => String(candidate['port']) === port)
  if (host !== `${clusterName}-kafka-bootstrap` || listener === undefined) {
    problems.push(
      `KAFKA_BOOTSTRAP_SERVERS ${String(data['KAFKA_BOOTSTRAP_SERVERS'])} is not a listener of ${clusterName}-kafka-bootstrap`,
    )
  } else {
    const isTls = listener['tls'] === true
    const isScram = at(listener, 'authentication', 'type') === 'scram-sha-512'
    const protocol = `${isScram ? 'SASL_' : ''}${isTls ? 'SSL' : 'PLAINTEXT'}`
    if (data['KAFKA_SECURITY_PROTOCOL'] !== protocol)
      problems.push(`KAFKA_SECURITY_PROTOCOL must be ${protocol} for that listener`)
    if (isScram && data['KAFKA_SASL_MECHANISM'] !== 'SCRAM-SHA-512')
      problems.push('KAFKA_SASL_MECHANISM must be SCRAM-SHA-512')
    if (isScram) problems.push(...checkKafkaUsers(objects, data))
  }
  return problems
}

/**
 * Each quotecast container signs in as a KafkaUser (its own KAFKA_SASL_USERNAME, or the
 * ConfigMap's) with the password from that user's Secret, and no user's ACLs name every resource.
 */
function checkKafkaUsers(objects: readonly Manifest[], data: Readonly<Record<string, string>>): string[] {
  const problems: string[] = []
  const users = objects.filter((object) => object.kind === 'KafkaUser')
  const names = new Set(users.map((user) => user.metadata.name))
  for (const workload of objects.filter((object) => WORKLOAD_KINDS.has(object.kind))) {
    const podSpec = podSpecOf(workload)
    for (const { container } of podSpec === undefined ? [] : containersOf(podSpec)) {
      if (!isQuotecastImage(container['image'])) continue
      const where = `${objectName(workload)}/${String(container['name'])}`
      const env = records(container['env'])
      const own = env.find((entry) => entry['name'] === 'KAFKA_SASL_USERNAME')?.['value']
      const user = typeof own === 'string' ? own : data['KAFKA_SASL_USERNAME']
      const secret = at(
        env.find((entry) => entry['name'] === 'KAFKA_SASL_PASSWORD'),
        'valueFrom',
        'secretKeyRef',
        'name',
      )
      if (user === undefined || !names.has(user))
        problems.push(`${where}: KAFKA_SASL_USERNAME ${String(user)} must name a KafkaUser`)
      else if (secret !== user)
        problems.push(`${where}: KAFKA_SASL_PASSWORD comes from ${String(secret)}, not the Secret of ${user}`)
    }
  }
  for (const user of users) {
    for (const acl of records(at(user, 'spec', 'authorization', 'acls'))) {
      if (at(acl, 'resource', 'name') === '*')
        problems.push(`${objectName(user)}: an ACL on every ${String(at(acl, 'resource', 'type'))}`)
    }
  }
  return problems
}

function envOf(container: Json): Record<string, string> {
  return Object.fromEntries(
    records(container['env']).map((entry) => [String(entry['name']), String(entry['value'])]),
  )
}

function checkSelfHosted(
  objects: readonly Manifest[],
  data: Readonly<Record<string, string>>,
  broker: Manifest,
  expected: KafkaExpectations,
): string[] {
  const problems: string[] = []
  const where = objectName(broker)
  const container = records(at(broker, 'spec', 'template', 'spec', 'containers'))[0] ?? {}
  const image = String(container['image'])
  if (image !== `apache/kafka:${expected.kafkaVersion}`)
    problems.push(`${where}: image ${image}, the tests run against apache/kafka:${expected.kafkaVersion}`)
  const env = envOf(container)
  const replicas = Number(at(broker, 'spec', 'replicas') ?? 1)
  if (env['KAFKA_AUTO_CREATE_TOPICS_ENABLE'] !== 'false')
    problems.push(`${where}: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false`)
  for (const key of [
    'KAFKA_DEFAULT_REPLICATION_FACTOR',
    'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
    'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
    'KAFKA_MIN_INSYNC_REPLICAS',
    'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
  ]) {
    const value = Number(env[key])
    if (!(value >= 1 && value <= replicas))
      problems.push(`${where}: ${key}=${String(env[key])} must be between 1 and the ${replicas} replica(s)`)
  }
  const serviceName = String(at(broker, 'spec', 'serviceName'))
  const bootstrap = data['KAFKA_BOOTSTRAP_SERVERS'] ?? ''
  if (
    !bootstrap
      .split(',')
      .every((server) => server.startsWith(`${broker.metadata.name}-`) && server.includes(`.${serviceName}:`))
  ) {
    problems.push(
      `KAFKA_BOOTSTRAP_SERVERS ${bootstrap} does not name the pods of ${where} through Service ${serviceName}`,
    )
  }
  if (env['KAFKA_ADVERTISED_LISTENERS']?.includes(bootstrap) !== true) {
    problems.push(`${where}: KAFKA_ADVERTISED_LISTENERS does not advertise ${bootstrap}`)
  }
  const hasTopicsJob = objects
    .filter((object) => object.kind === 'Job')
    .some((job) =>
      records(at(job, 'spec', 'template', 'spec', 'containers')).some(
        (c) => strings(c['args'])[0] === 'topics',
      ),
    )
  if (!hasTopicsJob)
    problems.push('no Job runs `quotecast topics`: nothing would create the topics with their configs')
  return problems
}

/** Processor and trainer replicas split the partitions evenly: the count or a divisor of it. */
function checkReplicas(objects: readonly Manifest[], partitions: number): string[] {
  return objects
    .filter(
      (object) => object.kind === 'Deployment' && ['processor', 'trainer'].includes(object.metadata.name),
    )
    .filter((deployment) => partitions % Number(at(deployment, 'spec', 'replicas') ?? 1) !== 0)
    .map(
      (deployment) =>
        `${objectName(deployment)}: ${String(at(deployment, 'spec', 'replicas'))} replicas do not divide ${partitions} partitions`,
    )
}

/** The Kafka of an overlay agrees with the topics and settings the code uses. */
export function checkKafka(objects: readonly Manifest[], expected: KafkaExpectations): string[] {
  const data = configMapData(objects)
  if (data === undefined) return [`no ${CONFIG_MAP} ConfigMap`]
  const { partitions } = topicSettings(data)
  const problems = checkReplicas(objects, partitions)
  const selfHosted = objects.find(
    (object) =>
      object.kind === 'StatefulSet' &&
      records(at(object, 'spec', 'template', 'spec', 'containers')).some((c) =>
        String(c['image']).startsWith('apache/kafka:'),
      ),
  )
  if (objects.some((object) => object.kind === 'Kafka'))
    problems.push(...checkStrimzi(objects, data, expected))
  else if (selfHosted !== undefined) problems.push(...checkSelfHosted(objects, data, selfHosted, expected))
  else problems.push('neither a Strimzi Kafka nor an apache/kafka StatefulSet')
  return problems
}
