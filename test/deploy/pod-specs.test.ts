// Manifest → run spec (helpers/pod-specs.ts), the pure half of running the manifests from the
// image (test/integration/manifests-run.test.ts): the real overlays and compose.yaml resolve with
// no problem, and deliberately broken copies fail naming the workload and the field.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import { parse } from 'yaml'
import { cliCommandsInProcess } from './helpers/cli-help.ts'
import { loadDeployTools } from './helpers/deploy-tools.ts'
import { convertKey, heapMbOf, kafkaEnvToProperties } from './helpers/kafka-env.ts'
import { renderOverlay } from './helpers/kubernetes-tools.ts'
import {
  at,
  isRecord,
  parseManifests,
  podSpecOf,
  records,
  type Json,
  type Manifest,
} from './helpers/manifest.ts'
import { parseDockerfile } from './helpers/parse-dockerfile.ts'
import { clusterHosts, composeRuns, flagsOf, podRuns, type ImageFacts } from './helpers/pod-specs.ts'

function imageFacts(commands: Map<string, Set<string>>): ImageFacts {
  const entrypoint = parseDockerfile(readFileSync('Dockerfile', 'utf8'))
    .filter((instruction) => instruction.keyword === 'ENTRYPOINT')
    .pop()
  return { entrypoint: JSON.parse(entrypoint?.value ?? '[]') as string[], commands }
}

const copy = <T>(value: T): T => structuredClone(value)

function container(objects: Manifest[], kind: string, name: string): Json {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name)
  const podSpec = object === undefined ? undefined : podSpecOf(object)
  const first = podSpec === undefined ? undefined : records(podSpec['containers'])[0]
  assert.ok(first, `${kind}/${name} has a container`)
  return first
}

function envOf(spec: Json): Json[] {
  assert.ok(Array.isArray(spec['env']))
  return spec['env'] as Json[]
}

describe('manifest → run spec', () => {
  let facts: ImageFacts
  let minikube: Manifest[]
  let production: Manifest[]
  let compose: { services: Record<string, Json> }
  before(async () => {
    const tools = loadDeployTools()
    facts = imageFacts(await cliCommandsInProcess())
    minikube = parseManifests(renderOverlay(tools, 'minikube'))
    production = parseManifests(renderOverlay(tools, 'production'))
    compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as typeof compose
  })

  it('resolves every quotecast container of the minikube overlay, with no problem', () => {
    const { runs, problems } = podRuns(minikube, facts)
    assert.deepEqual(problems, [])
    assert.deepEqual(runs.map((run) => run.workload).sort(), [
      'CronJob/fetcher',
      'Deployment/bridge',
      'Deployment/predictor',
      'Deployment/processor',
      'Deployment/trainer',
      'Job/backfill',
      'Job/topics',
    ])
    const processor = runs.find((run) => run.workload === 'Deployment/processor')
    assert.ok(processor)
    assert.deepEqual(processor.args, ['process'])
    assert.equal(processor.env['KAFKA_BOOTSTRAP_SERVERS'], 'kafka-broker-0.kafka-broker:9092')
    assert.equal(processor.env['QUOTECAST_INSTANCE_ID'], 'processor-0', 'fieldRef metadata.name')
    assert.equal(processor.env['KAFKA_SASL_PASSWORD'], undefined, 'an optional Secret that is absent')
    assert.equal(processor.user, '1000:1000')
    assert.equal(processor.readOnlyRoot, true)
    assert.deepEqual(processor.writable, ['/tmp'])
    assert.deepEqual(processor.emptyReadOnly, ['/etc/quotecast/kafka-ca'])
    assert.deepEqual(
      processor.probes.map((probe) => `${probe.field} ${probe.kind} ${probe.port} ${probe.path}`),
      [
        'startupProbe httpGet 9464 /healthz',
        'readinessProbe httpGet 9464 /readyz',
        'livenessProbe httpGet 9464 /healthz',
      ],
    )
    assert.equal(runs.find((run) => run.workload === 'CronJob/fetcher')?.runsToCompletion, true)
  })

  it('resolves the production overlay and compose.yaml with no problem', () => {
    assert.deepEqual(podRuns(production, facts).problems, [])
    const { runs, problems } = composeRuns(compose, facts)
    assert.deepEqual(problems, [])
    assert.deepEqual(runs.map((run) => run.workload).sort(), [
      'compose bridge',
      'compose fetcher',
      'compose predictor',
      'compose processor',
      'compose topics',
      'compose trainer',
    ])
  })

  it('reads flags as the CLI does: --name value and --name=value', () => {
    assert.deepEqual(flagsOf(['--watch', '--port', '8081', '--health-port=9465', '--from', '2000-01-01']), {
      httpPort: '8081',
      healthPort: '9465',
      from: '2000-01-01',
    })
  })

  it('maps Services, and a StatefulSet pod under its headless Service, to pod addresses', () => {
    const hosts = clusterHosts(minikube, new Map([['kafka-broker-0', '10.0.0.2']]))
    assert.ok(
      hosts.some((line) => line.split(' ').includes('kafka-broker-0.kafka-broker')),
      hosts.join('\n'),
    )
    assert.ok(hosts.every((line) => line.startsWith('10.0.0.2 ')))
  })

  describe('broken copies fail, naming the workload and the field', () => {
    const expectProblem = (objects: Manifest[], pattern: RegExp): void => {
      const { problems } = podRuns(objects, facts)
      assert.equal(problems.length, 1, problems.join('\n'))
      assert.match(problems[0] ?? '', pattern)
    }

    it('an env name the code does not read', () => {
      const broken = copy(minikube)
      envOf(container(broken, 'Deployment', 'processor')).push({
        name: 'QUOTECAST_HEALTHPORT',
        value: '9464',
      })
      expectProblem(
        broken,
        /^Deployment\/processor containers\[processor\]: env\[\d+\] QUOTECAST_HEALTHPORT: not an environment variable quotecast reads/,
      )
    })

    it('a ConfigMap key the code does not read (through envFrom)', () => {
      const broken = copy(minikube)
      const configMap = broken.find((object) => object.kind === 'ConfigMap')
      assert.ok(configMap && isRecord(configMap['data']))
      configMap['data']['QUOTECAST_SYMBOL'] = 'AAPL'
      const { problems } = podRuns(broken, facts)
      assert.equal(problems.length, 7, problems.join('\n'))
      for (const problem of problems)
        assert.match(
          problem,
          /: envFrom\[0\]\.configMapRef \(ConfigMap quotecast-config-\w+\): QUOTECAST_SYMBOL is not/,
        )
    })

    it('a probe on the wrong port', () => {
      const broken = copy(minikube)
      const readiness = at(container(broken, 'Deployment', 'trainer'), 'readinessProbe', 'httpGet')
      assert.ok(isRecord(readiness))
      readiness['port'] = 9465
      expectProblem(
        broken,
        /^Deployment\/trainer containers\[trainer\]: readinessProbe\.httpGet\.port: 9465 is not a port train listens on: 9464 \(--health-port/,
      )
    })

    it('a container port nothing listens on', () => {
      const broken = copy(minikube)
      const [port] = records(container(broken, 'Deployment', 'predictor')['ports'])
      assert.ok(port)
      port['containerPort'] = 8081
      const { problems } = podRuns(broken, facts)
      assert.ok(problems.length >= 1)
      for (const problem of problems)
        assert.match(problem, /^Deployment\/predictor containers\[predictor\]: /)
      assert.ok(
        problems.some((problem) => /ports\[http\]: 8081 is not a port serve listens on: 8080/.test(problem)),
        problems.join('\n'),
      )
    })

    it('a wrong command: an unknown quotecast command, and a replaced entrypoint', () => {
      const unknown = copy(minikube)
      container(unknown, 'Job', 'topics')['args'] = ['topic']
      expectProblem(
        unknown,
        /^Job\/topics containers\[topics\]: args\[0\]: "topic" is not a quotecast command/,
      )
      const replaced = copy(minikube)
      container(replaced, 'CronJob', 'fetcher')['command'] = ['node', 'src/cli.js']
      expectProblem(
        replaced,
        /^CronJob\/fetcher containers\[fetcher\]: command: \[node, src\/cli\.js\] replaces the image's entrypoint \[node, src\/cli\.ts\]/,
      )
    })

    it('an option the command does not have, and a setting the code rejects', () => {
      const option = copy(minikube)
      container(option, 'Job', 'backfill')['args'] = ['backfill', '--form', '2000-01-01']
      expectProblem(
        option,
        /^Job\/backfill containers\[backfill\]: args\[1\]: quotecast backfill has no option --form/,
      )
      const value = copy(minikube)
      envOf(container(value, 'Deployment', 'bridge')).push({ name: 'QUOTECAST_PARTITIONS', value: 'six' })
      expectProblem(
        value,
        /^Deployment\/bridge containers\[bridge\]: env\/args: invalid configuration:\s+--partitions \/ QUOTECAST_PARTITIONS/,
      )
    })

    it('a reference to a ConfigMap key that does not exist', () => {
      const broken = copy(minikube)
      envOf(container(broken, 'Deployment', 'predictor')).push({
        name: 'QUOTECAST_SYMBOLS',
        valueFrom: { configMapKeyRef: { name: 'quotecast-settings', key: 'symbols' } },
      })
      expectProblem(
        broken,
        /^Deployment\/predictor containers\[predictor\]: env\[\d+\] QUOTECAST_SYMBOLS\.valueFrom\.configMapKeyRef: ConfigMap quotecast-settings is not among the rendered objects/,
      )
    })

    it('compose: a healthcheck on the wrong port, and an unknown environment name', () => {
      const broken = copy(compose)
      const processor = broken.services['processor']
      assert.ok(processor && isRecord(processor['healthcheck']))
      // A copy: the services share one healthcheck through a YAML anchor.
      processor['healthcheck'] = {
        ...processor['healthcheck'],
        test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:9465/readyz')"],
      }
      processor['environment'] = { ...(processor['environment'] as Json), QUOTECAST_PARTITION: '6' }
      const { problems } = composeRuns(broken, facts)
      assert.deepEqual(
        problems.map((problem) => problem.replace(/: .*/s, '')),
        ['compose processor', 'compose processor'],
        problems.join('\n'),
      )
      assert.match(
        problems.join('\n'),
        /compose processor: environment\.QUOTECAST_PARTITION: not an environment variable/,
      )
      assert.match(
        problems.join('\n'),
        /compose processor: healthcheck\.test: port 9465 is not a port process listens on: 9464/,
      )
    })
  })
})

describe("the apache/kafka image's env → server.properties rule", () => {
  it('converts names as utility.go does', () => {
    assert.equal(convertKey('LOG_DIRS'), 'log.dirs')
    assert.equal(convertKey('LISTENER_SECURITY_PROTOCOL_MAP'), 'listener.security.protocol.map')
    assert.equal(convertKey('CONFLUENT_SUPPORT__METRICS_ENABLE'), 'confluent.support_metrics.enable')
    assert.equal(convertKey('SOME___DASHED'), 'some-dashed')
  })

  it('renders the minikube broker: every KAFKA_* of its env but the excluded, CLUSTER_ID not a property', () => {
    const properties = kafkaEnvToProperties({
      CLUSTER_ID: 'x',
      KAFKA_NODE_ID: '1',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_OPTS: '-Dfoo',
      KAFKA_HEAP_OPTS: '-Xms512m -Xmx512m',
      KAFKA_WITH_EQUALS: 'a=b',
    })
    assert.deepEqual(properties, {
      'node.id': '1',
      listeners: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      // The image's exclude list names KAFKA_HEAP_OPT, so KAFKA_HEAP_OPTS becomes a (harmless) property too.
      'heap.opts': '-Xms512m -Xmx512m',
    })
    assert.equal(heapMbOf({ KAFKA_HEAP_OPTS: '-Xms512m -Xmx512m' }), 512)
    assert.equal(heapMbOf({ KAFKA_HEAP_OPTS: '-Xmx1g' }), 1024)
  })
})
