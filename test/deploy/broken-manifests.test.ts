// The checks must fail on what they are meant to catch: a hand-written broken Deployment, and the
// real overlays with one fault put in at a time, each reported exactly and nothing else.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import { topicSpecs } from '../../src/core/contracts/topics.ts'
import { KAFKA_VERSION } from '../../src/platform/kafka-broker/kafka-version.ts'
import { checkConfig, checkKafka, configMapData } from './helpers/check-kafka.ts'
import { checkKafkaAccess, KAFKA_CLIENT_LABEL } from './helpers/check-kafka-access.ts'
import { checkExposure } from './helpers/check-exposure.ts'
import { checkWorkloads, WRITABLE_ROOT_ALLOWED, type WorkloadRule } from './helpers/check-workloads.ts'
import { loadDeployTools, type DeployTools } from './helpers/deploy-tools.ts'
import {
  kubernetesVersions,
  renderOverlay,
  validateManifests,
  type Overlay,
} from './helpers/kubernetes-tools.ts'
import {
  at,
  isRecord,
  parseManifests,
  podSpecOf,
  records,
  type Json,
  type Manifest,
} from './helpers/manifest.ts'

function find(objects: Manifest[], kind: string, name: string): Manifest {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name)
  assert.ok(object, `${kind}/${name} is in the overlay`)
  return object
}

function firstContainer(object: Manifest): Json {
  const podSpec = podSpecOf(object)
  const container = podSpec === undefined ? undefined : records(podSpec['containers'])[0]
  assert.ok(container)
  return container
}

function record(value: unknown): Json {
  assert.ok(isRecord(value))
  return value
}

interface Fault {
  readonly name: string
  readonly overlay: Overlay
  readonly breakIt: (objects: Manifest[]) => void
  /** What kubeconform must say of the one invalid object, or undefined when the schema allows it. */
  readonly schemaError?: RegExp
  readonly rules?: readonly { rule: WorkloadRule; where: string }[]
  readonly kafka?: readonly string[]
  readonly access?: readonly string[]
  readonly config?: RegExp
  readonly exposure?: readonly string[]
}

const FAULTS: readonly Fault[] = [
  {
    name: 'an unknown field (readinessProbe misspelt)',
    overlay: 'minikube',
    breakIt: (objects) => {
      const container = firstContainer(find(objects, 'Deployment', 'processor'))
      container['readinesProbe'] = container['readinessProbe']
      delete container['readinessProbe']
    },
    schemaError: /additional properties 'readinesProbe' not allowed/,
    rules: [{ rule: 'probes', where: 'Deployment/processor/processor' }],
  },
  {
    name: 'a missing liveness probe',
    overlay: 'minikube',
    breakIt: (objects) => {
      delete firstContainer(find(objects, 'Deployment', 'trainer'))['livenessProbe']
    },
    rules: [{ rule: 'probes', where: 'Deployment/trainer/trainer' }],
  },
  {
    name: 'a root container',
    overlay: 'production',
    breakIt: (objects) => {
      const podSpec = podSpecOf(find(objects, 'Deployment', 'predictor'))
      assert.ok(podSpec)
      record(podSpec['securityContext'])['runAsUser'] = 0
      record(firstContainer(find(objects, 'Deployment', 'predictor'))['securityContext'])['runAsNonRoot'] =
        false
    },
    rules: [{ rule: 'non-root', where: 'Deployment/predictor/predictor' }],
  },
  {
    name: 'a container without resources',
    overlay: 'minikube',
    breakIt: (objects) => {
      delete firstContainer(find(objects, 'CronJob', 'fetcher'))['resources']
    },
    rules: [{ rule: 'resources', where: 'CronJob/fetcher/fetcher' }],
  },
  {
    name: 'an unpinned image and a writable root filesystem',
    overlay: 'production',
    breakIt: (objects) => {
      const container = firstContainer(find(objects, 'Job', 'backfill'))
      container['image'] = 'quotecast:latest'
      record(container['securityContext'])['readOnlyRootFilesystem'] = false
    },
    rules: [
      { rule: 'read-only-root', where: 'Job/backfill/backfill' },
      { rule: 'image-pinned', where: 'Job/backfill/backfill' },
    ],
  },
  {
    name: 'a Service named kafka and service links left on',
    overlay: 'minikube',
    breakIt: (objects) => {
      record(find(objects, 'Service', 'kafka-broker')['metadata'])['name'] = 'kafka'
      const podSpec = podSpecOf(find(objects, 'StatefulSet', 'kafka-broker'))
      assert.ok(podSpec)
      delete podSpec['enableServiceLinks']
    },
    rules: [
      { rule: 'service-named-kafka', where: 'Service/kafka' },
      { rule: 'service-links', where: 'StatefulSet/kafka-broker' },
    ],
  },
  {
    name: 'a KafkaTopic with a misspelt field and the wrong partitions',
    overlay: 'production',
    breakIt: (objects) => {
      const spec = record(find(objects, 'KafkaTopic', 'quotecast-bars')['spec'])
      spec['partitons'] = 6
      spec['partitions'] = 4
    },
    schemaError: /additional properties 'partitons' not allowed/,
    kafka: ['KafkaTopic/quotecast-bars: 4 partitions, topicSpecs says 6'],
  },
  {
    name: 'a compacted topic configured to delete',
    overlay: 'production',
    breakIt: (objects) => {
      record(at(find(objects, 'KafkaTopic', 'quotecast-models'), 'spec', 'config'))['cleanup.policy'] =
        'delete'
    },
    kafka: ['KafkaTopic/quotecast-models: cleanup.policy is delete, topicSpecs says compact'],
  },
  {
    name: 'min ISR 1 on the cluster and four processors for six partitions',
    overlay: 'production',
    breakIt: (objects) => {
      record(at(find(objects, 'Kafka', 'quotecast'), 'spec', 'kafka', 'config'))['min.insync.replicas'] = 1
      record(find(objects, 'Deployment', 'processor')['spec'])['replicas'] = 4
    },
    kafka: [
      'Deployment/processor: 4 replicas do not divide 6 partitions',
      'Kafka/quotecast: min.insync.replicas is 1, expected 2',
    ],
  },
  {
    name: 'a Kafka listener open to every pod',
    overlay: 'production',
    breakIt: (objects) => {
      for (const listener of records(at(find(objects, 'Kafka', 'quotecast'), 'spec', 'kafka', 'listeners'))) {
        delete listener['networkPolicyPeers']
      }
    },
    access: [
      'Kafka/quotecast listener tls: networkPolicyPeers must admit only quotecast.io/kafka-client pods',
    ],
  },
  {
    name: 'a Kafka client without the client label, and a broker open to another namespace',
    overlay: 'minikube',
    breakIt: (objects) => {
      const labels = record(
        at(find(objects, 'Deployment', 'trainer'), 'spec', 'template', 'metadata', 'labels'),
      )
      labels[KAFKA_CLIENT_LABEL] = 'false'
      const [rule] = records(at(find(objects, 'NetworkPolicy', 'kafka-broker'), 'spec', 'ingress'))
      assert.ok(rule)
      rule['from'] = [...records(rule['from']), { namespaceSelector: {} }]
    },
    access: [
      `Deployment/trainer: talks to Kafka but its pods lack the label ${KAFKA_CLIENT_LABEL}: "true"`,
      `NetworkPolicy/kafka-broker: admits peers other than ${KAFKA_CLIENT_LABEL} pods and the broker itself`,
    ],
  },
  {
    name: "a service signing in as nobody, one with another user's password, and a wildcard ACL",
    overlay: 'production',
    breakIt: (objects) => {
      const predictor = firstContainer(find(objects, 'Deployment', 'predictor'))
      predictor['env'] = records(predictor['env']).filter((entry) => entry['name'] !== 'KAFKA_SASL_USERNAME')
      const bridge = firstContainer(find(objects, 'Deployment', 'bridge'))
      const password = records(bridge['env']).find((entry) => entry['name'] === 'KAFKA_SASL_PASSWORD')
      record(at(password, 'valueFrom', 'secretKeyRef'))['name'] = 'quotecast-processor'
      const acls = at(find(objects, 'KafkaUser', 'quotecast-trainer'), 'spec', 'authorization', 'acls')
      assert.ok(Array.isArray(acls))
      acls.push({ resource: { type: 'group', name: '*', patternType: 'literal' }, operations: ['Read'] })
    },
    kafka: [
      'Deployment/bridge/bridge: KAFKA_SASL_PASSWORD comes from quotecast-processor, not the Secret of quotecast-bridge',
      'Deployment/predictor/predictor: KAFKA_SASL_USERNAME undefined must name a KafkaUser',
      'KafkaUser/quotecast-trainer: an ACL on every group',
    ],
  },
  {
    name: 'a misspelt setting in the ConfigMap',
    overlay: 'minikube',
    breakIt: (objects) => {
      const data = record(objects.find((object) => object.kind === 'ConfigMap')?.['data'])
      data['QUOTECAST_SYMBOL'] = 'AAPL'
      data['QUOTECAST_INTERVAL'] = '2d'
    },
    config: /QUOTECAST_SYMBOL is not a quotecast setting[\s\S]*QUOTECAST_INTERVAL/,
  },
  {
    name: '/metrics on the routed port, and a scrape policy open to every source',
    overlay: 'production',
    breakIt: (objects) => {
      const container = firstContainer(find(objects, 'Deployment', 'predictor'))
      container['env'] = records(container['env']).filter(
        (entry) => entry['name'] !== 'QUOTECAST_METRICS_PORT',
      )
      const [rule] = records(at(find(objects, 'NetworkPolicy', 'metrics-scrape'), 'spec', 'ingress'))
      assert.ok(rule)
      delete rule['from']
    },
    exposure: [
      'Ingress/predictor → Deployment/predictor/predictor: routes port 8080, which answers /metrics (QUOTECAST_METRICS_PORT unset)',
      'NetworkPolicy/metrics-scrape: admits the metrics port from other than a selected namespace',
    ],
  },
  {
    name: 'the probes locked out: the health port on 127.0.0.1, and the HTTP port scraped',
    overlay: 'production',
    breakIt: (objects) => {
      const data = record(objects.find((object) => object.kind === 'ConfigMap')?.['data'])
      data['QUOTECAST_HEALTH_HOST'] = '127.0.0.1'
      const endpoints = at(find(objects, 'ServiceMonitor', 'quotecast'), 'spec', 'endpoints')
      assert.ok(Array.isArray(endpoints))
      endpoints.push({ port: 'http', path: '/metrics' })
    },
    exposure: [
      'ConfigMap: QUOTECAST_HEALTH_HOST is 127.0.0.1, the probes need 0.0.0.0',
      'ServiceMonitor/quotecast: scrapes port http, not metrics',
    ],
  },
  {
    name: 'the trainer let out to the internet, and the providers on port 80 too',
    overlay: 'minikube',
    breakIt: (objects) => {
      const spec = record(find(objects, 'NetworkPolicy', 'providers-egress')['spec'])
      const [expression] = records(at(spec, 'podSelector', 'matchExpressions'))
      assert.ok(expression && Array.isArray(expression['values']))
      expression['values'].push('trainer')
      const [rule] = records(spec['egress'])
      assert.ok(rule && Array.isArray(rule['ports']))
      rule['ports'].push({ port: 80, protocol: 'TCP' })
    },
    exposure: [
      'Deployment/trainer: reaches addresses outside the cluster',
      'CronJob/fetcher: reaches the internet on other ports than 443',
      'Job/backfill: reaches the internet on other ports than 443',
    ],
  },
]

describe('the deployment checks catch broken manifests', () => {
  let tools: DeployTools
  const rendered = new Map<Overlay, string>()
  before(() => {
    tools = loadDeployTools()
    for (const overlay of ['minikube', 'production'] as const)
      rendered.set(overlay, renderOverlay(tools, overlay))
  })

  it('reports each fault of test/deploy/fixtures/broken-deployment.yaml', () => {
    const text = readFileSync('test/deploy/fixtures/broken-deployment.yaml', 'utf8')
    const [version] = kubernetesVersions(tools)
    assert.ok(version)
    const [result] = validateManifests(tools, text, version)
    assert.equal(result?.status, 'statusInvalid')
    assert.match(result.msg, /additional properties 'readinesProbe' not allowed/)
    const violations = checkWorkloads(parseManifests(text)).map(({ rule }) => rule)
    assert.deepEqual(violations, ['probes', 'non-root'])
  })

  it('rejects a kind it has no schema for, rather than skipping it', () => {
    const [version] = kubernetesVersions(tools)
    assert.ok(version)
    const [result] = validateManifests(
      tools,
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n',
      version,
    )
    assert.equal(result?.status, 'statusError')
    assert.match(result.msg, /could not find schema for Widget/)
  })

  for (const fault of FAULTS) {
    it(`${fault.overlay}: ${fault.name}`, () => {
      const objects = parseManifests(rendered.get(fault.overlay) ?? '')
      const before = objects.map((object) => JSON.stringify(object))
      fault.breakIt(objects)
      // The schema check of the whole overlay is kubernetes.test.ts's: here only what changed.
      // JSON is YAML too, and leaves no YAML 1.1 ambiguity (off, yes, 0777) to the validator.
      const changed = objects
        .map((object) => JSON.stringify(object))
        .filter((json, index) => json !== before[index])
      assert.ok(changed.length > 0, 'the fault changed something')
      const yaml = changed.join('\n---\n')
      const [version] = kubernetesVersions(tools)
      assert.ok(version)
      const invalid = validateManifests(tools, yaml, version).filter(
        (result) => result.status !== 'statusValid',
      )
      if (fault.schemaError === undefined) assert.deepEqual(invalid, [])
      else {
        assert.equal(invalid.length, 1, JSON.stringify(invalid))
        assert.match(invalid[0]?.msg ?? '', fault.schemaError)
      }
      const violations = checkWorkloads(objects, { writableRootAllowed: WRITABLE_ROOT_ALLOWED })
      assert.deepEqual(
        violations.map(({ rule, where }) => ({ rule, where })),
        fault.rules ?? [],
      )
      assert.deepEqual(checkKafka(objects, { topicSpecs, kafkaVersion: KAFKA_VERSION }), fault.kafka ?? [])
      assert.deepEqual(checkKafkaAccess(objects), fault.access ?? [])
      assert.deepEqual(checkExposure(objects), fault.exposure ?? [])
      const problems = checkConfig(configMapData(objects) ?? {})
      if (fault.config === undefined) assert.deepEqual(problems, [])
      else assert.match(problems.join('\n'), fault.config)
    })
  }
})
