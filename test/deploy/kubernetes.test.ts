// Renders every overlay with kustomize and checks it offline: strict schema validation of every
// object (Kubernetes and CRD schemas, unknown fields rejected) and the project's own rules.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import { topicSpecs } from '../../src/core/contracts/topics.ts'
import { KAFKA_VERSION } from '../../src/platform/kafka-broker/kafka-version.ts'
import { checkConfig, checkKafka, configMapData } from './helpers/check-kafka.ts'
import { checkKafkaAccess } from './helpers/check-kafka-access.ts'
import { checkExposure } from './helpers/check-exposure.ts'
import { checkWorkloads, WRITABLE_ROOT_ALLOWED } from './helpers/check-workloads.ts'
import { loadDeployTools, type DeployTools } from './helpers/deploy-tools.ts'
import {
  describeFailures,
  kubernetesVersions,
  OVERLAYS,
  renderOverlay,
  validateManifests,
} from './helpers/kubernetes-tools.ts'
import { at, parseManifests, quotecastImagesOf, type Manifest } from './helpers/manifest.ts'

for (const overlay of OVERLAYS) {
  describe(`deploy/k8s/overlays/${overlay}`, () => {
    let tools: DeployTools
    let yaml: string
    let objects: Manifest[]
    before(() => {
      tools = loadDeployTools()
      yaml = renderOverlay(tools, overlay)
      objects = parseManifests(yaml)
    })

    it('validates strictly against the Kubernetes and CRD schemas, every object checked', async (t) => {
      for (const version of kubernetesVersions(tools)) {
        await t.test(`Kubernetes ${version}`, () => {
          const results = validateManifests(tools, yaml, version)
          assert.deepEqual(describeFailures(results), [])
          assert.equal(results.length, objects.length, 'kubeconform saw every object')
        })
      }
    })

    it('gives every container resources, probes (long-running), a hardened non-root context and a pinned image', () => {
      assert.deepEqual(checkWorkloads(objects, { writableRootAllowed: WRITABLE_ROOT_ALLOWED }), [])
    })

    it('configures quotecast with valid settings only', () => {
      const data = configMapData(objects)
      assert.ok(data, 'the quotecast-config ConfigMap exists')
      assert.deepEqual(checkConfig(data), [])
    })

    it('runs Kafka as the code expects: topics as topicSpecs() says, replicas dividing the partitions', () => {
      assert.deepEqual(checkKafka(objects, { topicSpecs, kafkaVersion: KAFKA_VERSION }), [])
    })

    it('lets only quotecast pods reach Kafka', () => {
      assert.deepEqual(checkKafkaAccess(objects), [])
    })

    it('routes no /metrics through the Ingress, and admits the metrics port from one namespace only', () => {
      assert.deepEqual(checkExposure(objects), [])
    })

    it('fetches on the ConfigMap schedule, one run at a time, with bounded history and retries', () => {
      const cronJob = objects.find(
        (object) => object.kind === 'CronJob' && object.metadata.name === 'fetcher',
      )
      const data = configMapData(objects)
      assert.ok(cronJob && data)
      assert.equal(at(cronJob, 'spec', 'schedule'), data['FETCH_SCHEDULE'])
      assert.equal(at(cronJob, 'spec', 'timeZone'), data['FETCH_TIME_ZONE'])
      assert.equal(at(cronJob, 'spec', 'concurrencyPolicy'), 'Forbid')
      assert.equal(typeof at(cronJob, 'spec', 'successfulJobsHistoryLimit'), 'number')
      assert.equal(typeof at(cronJob, 'spec', 'failedJobsHistoryLimit'), 'number')
      assert.equal(typeof at(cronJob, 'spec', 'jobTemplate', 'spec', 'backoffLimit'), 'number')
    })

    it(
      overlay === 'production'
        ? 'pins the quotecast image by digest'
        : 'runs the quotecast image by its version tag (the image loaded into minikube)',
      () => {
        const images = quotecastImagesOf(objects)
        assert.ok(images.length >= 5, `${images.length} quotecast containers`)
        for (const image of images)
          assert.match(
            image,
            overlay === 'production'
              ? /^[^:@]+\/quotecast@sha256:[0-9a-f]{64}$/
              : /^quotecast:\d+\.\d+\.\d+$/,
          )
      },
    )

    it('leaves the replica count of an autoscaled Deployment to its HPA', () => {
      const autoscaled = objects
        .filter((object) => object.kind === 'HorizontalPodAutoscaler')
        .map((hpa) => String(at(hpa, 'spec', 'scaleTargetRef', 'name')))
      assert.ok(autoscaled.includes('predictor'))
      for (const name of autoscaled) {
        const deployment = objects.find(
          (object) => object.kind === 'Deployment' && object.metadata.name === name,
        )
        assert.ok(deployment, `HPA target Deployment/${name} exists`)
        assert.equal(
          at(deployment, 'spec', 'replicas'),
          undefined,
          `Deployment/${name} must not set replicas`,
        )
      }
    })

    it('protects every Deployment with a PodDisruptionBudget', () => {
      const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget')
      for (const deployment of objects.filter((object) => object.kind === 'Deployment')) {
        const labels = at(deployment, 'spec', 'selector', 'matchLabels')
        assert.ok(
          budgets.some(
            (budget) =>
              JSON.stringify(at(budget, 'spec', 'selector', 'matchLabels')) === JSON.stringify(labels),
          ),
          `a PodDisruptionBudget selects Deployment/${deployment.metadata.name}`,
        )
      }
    })
  })
}

describe('deploy/k8s/base/provider-keys.secret.example.yaml', () => {
  it('is a valid Secret template that holds no value', () => {
    const tools = loadDeployTools()
    const text = readFileSync('deploy/k8s/base/provider-keys.secret.example.yaml', 'utf8')
    const [version] = kubernetesVersions(tools)
    assert.ok(version)
    assert.deepEqual(describeFailures(validateManifests(tools, text, version)), [])
    const [secret] = parseManifests(text)
    assert.ok(secret)
    for (const [key, value] of Object.entries(at(secret, 'stringData') as Record<string, string>)) {
      assert.equal(value, '', `${key} must stay empty in the repository`)
    }
  })
})
