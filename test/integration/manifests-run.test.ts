// The minikube overlay executed: every quotecast container spec of the rendered overlay run from
// the image (helpers/pod-specs.ts turns each into a run; helpers/image-sandbox.sh runs it as its
// securityContext says, read-only root with only its emptyDir mounts writable), each pod in its
// own network namespace on a bridge (helpers/pod-network.ts), against the test broker started
// from the overlay's own Kafka StatefulSet env (helpers/manifest-broker.ts). Cluster DNS is an
// /etc/hosts made from the rendered Services; the broker's PersistentVolumeClaim is a fresh
// folder. Nothing else deviates from the manifests. Skips, saying why, without root, buildah,
// the image or network namespaces.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { cliCommandsInProcess } from '../deploy/helpers/cli-help.ts'
import { loadDeployTools } from '../deploy/helpers/deploy-tools.ts'
import { imageUnavailable } from '../deploy/helpers/image.ts'
import { ImageSandbox } from '../deploy/helpers/image-sandbox.ts'
import { renderOverlay } from '../deploy/helpers/kubernetes-tools.ts'
import { startManifestBroker, type ManifestBroker } from '../deploy/helpers/manifest-broker.ts'
import {
  at,
  objectName,
  parseManifests,
  podSpecOf,
  records,
  type Manifest,
} from '../deploy/helpers/manifest.ts'
import { podNetworkUnavailable, tcpOpensIn } from '../deploy/helpers/pod-network.ts'
import { clusterHosts, podRuns, type ContainerRun } from '../deploy/helpers/pod-specs.ts'
import { PodRunner } from '../deploy/helpers/run-pods.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import type { ServiceProcess } from '../support/services.ts'

const unavailable = imageUnavailable() ?? podNetworkUnavailable()
if (unavailable !== undefined) console.log(`# manifests-run: skipped: ${unavailable}`)

describe('the minikube overlay, every quotecast workload run from the image', { skip: unavailable }, () => {
  let objects: Manifest[]
  let runs: ContainerRun[]
  let sandbox: ImageSandbox
  let pods: PodRunner
  let broker: ManifestBroker | undefined

  before(async () => {
    objects = parseManifests(renderOverlay(loadDeployTools(), 'minikube'))
    sandbox = ImageSandbox.open()
    const resolved = podRuns(objects, {
      entrypoint: sandbox.config.Entrypoint ?? [],
      commands: await cliCommandsInProcess(),
    })
    assert.deepEqual(resolved.problems, [])
    runs = resolved.runs
    pods = new PodRunner(sandbox, ['kafka-broker-0', ...runs.map((run) => run.podName)], (addresses) =>
      clusterHosts(objects, addresses),
    )
  })
  after(async () => {
    await pods.close()
    await broker?.stop()
    sandbox.close()
  })

  const runOf = (workload: string): ContainerRun => {
    const run = runs.find((candidate) => candidate.workload === workload)
    assert.ok(run, `${workload} is in the overlay`)
    return run
  }
  /** A Job's pod, retried as the Job's backoffLimit allows (exit 2 fails at once: podFailurePolicy). */
  const runJob = async (run: ContainerRun): Promise<ServiceProcess> => {
    const object = objects.find((candidate) => objectName(candidate) === run.workload)
    const spec = run.kind === 'CronJob' ? at(object, 'spec', 'jobTemplate', 'spec') : at(object, 'spec')
    return pods.runToEnd(run, Number(at(spec, 'backoffLimit') ?? 6))
  }

  test(
    'the broker from its StatefulSet env; Jobs exit 0, Deployments answer their probes, the predictor serves predictions, the CronJob publishes',
    { timeout: 600_000 },
    async (t) => {
      const startedAt = Date.now()
      const lap = (what: string): void =>
        t.diagnostic(`${what}: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)

      // The broker: its container's env, as the apache/kafka image turns it into server.properties.
      const statefulSet = objects.find(
        (object) => object.kind === 'StatefulSet' && object.metadata.name === 'kafka-broker',
      )
      assert.ok(statefulSet)
      const [kafka] = records(podSpecOf(statefulSet)?.['containers'])
      assert.ok(kafka)
      const env = Object.fromEntries(
        records(kafka['env']).map((entry) => [String(entry['name']), String(entry['value'])]),
      )
      const image = String(kafka['image'])
      const brokerPod = pods.pod('kafka-broker-0')
      broker = await startManifestBroker({
        env,
        version: image.slice(image.lastIndexOf(':') + 1),
        mountPaths: records(kafka['volumeMounts']).map((mount) => String(mount['mountPath'])),
        netns: brokerPod.netns,
        hostsFile: pods.hostsFile,
      })
      assert.equal(broker.properties['advertised.listeners'], 'PLAINTEXT://kafka-broker-0.kafka-broker:9092')
      // Its readiness probe: tcpSocket on the port named client, from the node.
      const client = records(kafka['ports']).find(
        (port) => port['name'] === at(kafka, 'readinessProbe', 'tcpSocket', 'port'),
      )
      const clientPort = Number(client?.['containerPort'])
      const brokerDeadline = Date.now() + 90_000
      while (!(await tcpOpensIn(pods.network.nodeNetns, brokerPod.address, clientPort))) {
        assert.ok(
          Date.now() < brokerDeadline,
          `StatefulSet/kafka-broker readinessProbe tcpSocket :${clientPort} never opened`,
        )
        await sleep(500)
      }
      lap('broker ready')

      const topicsRun = runOf('Job/topics')
      const topics = await runJob(topicsRun)
      assert.equal(topics.describeExit(), 'exit code 0', `Job/topics:\n${topics.tail()}`)
      assert.match(topics.output, /"topic":"quotes"/)
      lap('Job/topics done')

      const deployments = runs.filter((run) => run.kind === 'Deployment')
      const started = deployments.map((run) => [run, pods.start(run)] as const)
      for (const [run, service] of started) await pods.probesPass(run, service)
      lap(`${deployments.map((run) => run.workload).join(', ')} ready and live`)

      const backfill = await runJob(runOf('Job/backfill'))
      assert.equal(backfill.describeExit(), 'exit code 0', `Job/backfill:\n${backfill.tail()}`)
      assert.match(backfill.stdout, /^published \d+ bars for 2 of 2 symbols$/m)
      lap('Job/backfill done')

      // The prediction service, through its declared container port, as its Service reaches it.
      const predictor = runOf('Deployment/predictor')
      const httpPort = predictor.ports['http']
      assert.ok(httpPort !== undefined)
      const symbols = (predictor.env['QUOTECAST_SYMBOLS'] ?? '').split(',')
      assert.deepEqual(symbols, ['AAPL', '^GSPC'])
      // The bundled series the replay serves: the backfill ends at the last bar on or before
      // QUOTECAST_BACKFILL_TO (today when unset), and the CronJob's run must publish the next one.
      const to = runOf('Job/backfill').env['QUOTECAST_BACKFILL_TO'] ?? ''
      const backfillTo = to === '' ? Date.now() : Date.parse(`${to}T23:59:59Z`)
      const lastBackfilled = new Map<string, number>()
      const nextBar = new Map<string, number | undefined>()
      for (const [symbol, name] of [
        ['AAPL', 'aapl'],
        ['^GSPC', 'sp500'],
      ] as const) {
        const { bars } = await bundledSeries(name)
        const upTo = bars.filter((bar) => bar.start <= backfillTo)
        const last = upTo.at(-1)
        const next = bars[upTo.length]
        assert.ok(last, `${symbol}: the replay has bars up to QUOTECAST_BACKFILL_TO`)
        lastBackfilled.set(symbol, last.start)
        nextBar.set(symbol, next?.start)
      }
      /** dataAsOf of each symbol's latest prediction (the start of the bar it is from), or the error. */
      const dataAsOf = async (): Promise<Map<string, number | string>> => {
        const answers = await pods.get(
          predictor,
          httpPort,
          symbols.map((symbol) => `/api/v1/predictions/${encodeURIComponent(symbol)}`),
        )
        return new Map(
          symbols.map((symbol, index) => {
            const answer = answers[index]
            if (answer?.status !== 200) return [symbol, `${answer?.status}: ${answer?.body.slice(0, 120)}`]
            const body = JSON.parse(answer.body) as { symbol: string; dataAsOf: number | null }
            assert.equal(body.symbol, symbol)
            return [symbol, body.dataAsOf ?? 'null']
          }),
        )
      }
      const waitForDataAsOf = async (expected: Map<string, number>, what: string): Promise<void> => {
        const deadline = Date.now() + 300_000
        for (;;) {
          const served = await dataAsOf()
          if ([...expected].every(([symbol, start]) => served.get(symbol) === start)) return
          assert.ok(
            Date.now() < deadline,
            `Deployment/predictor: no prediction ${what}: serves ${JSON.stringify([...served])}, expected ${JSON.stringify([...expected])}`,
          )
          await sleep(1000)
        }
      }
      await waitForDataAsOf(lastBackfilled, 'from the last backfilled bar')
      lap('predictions served from the last backfilled bar')

      // The CronJob's container, run once as a scheduled Job would.
      const fetcher = await runJob(runOf('CronJob/fetcher'))
      assert.equal(fetcher.describeExit(), 'exit code 0', `CronJob/fetcher:\n${fetcher.tail()}`)
      assert.match(
        fetcher.stdout,
        /^all 2 symbols published$/m,
        `CronJob/fetcher containers[fetcher] args [${runOf('CronJob/fetcher').args.join(', ')}] did not publish every symbol:\n${fetcher.output}`,
      )
      const escape = (text: string): string => text.replace(/[\^$.*+?()[\]{}|\\]/g, '\\$&')
      const published = new Map<string, number>()
      for (const [symbol, start] of nextBar) {
        assert.ok(
          start !== undefined,
          `CronJob/fetcher: the replay has no ${symbol} bar after the backfill's`,
        )
        published.set(symbol, start)
        const line = `^${escape(symbol)}\\s+published\\s+.* as of ${escape(new Date(start).toISOString())} from replay$`
        assert.match(fetcher.stdout, new RegExp(line, 'm'))
      }
      lap('CronJob/fetcher done')
      // What it published reaches the prediction service through the processor and the trainer.
      await waitForDataAsOf(published, 'from the bar the CronJob published')
      lap('predictions served from the fetched bars')
      for (const [run, service] of started)
        assert.ok(service.isRunning, `${run.workload} is still running:\n${service.tail()}`)
    },
  )
})
