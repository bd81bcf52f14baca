// The minikube overlay executed: every quotecast container spec of the rendered overlay run from
// the image (helpers/pod-specs.ts turns each into a run; helpers/image-sandbox.sh runs it as its
// securityContext says, read-only root with only its emptyDir mounts writable), each pod in its
// own network namespace on a bridge (helpers/pod-network.ts), against the test broker started
// from the overlay's own Kafka StatefulSet env (helpers/manifest-broker.ts). Cluster DNS is an
// /etc/hosts made from the rendered Services; the broker's PersistentVolumeClaim is a fresh
// folder. Nothing else deviates from the manifests. Skips, saying why, without root, buildah,
// the image or network namespaces.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { cliCommands } from '../deploy/helpers/cli-help.ts'
import { loadDeployTools } from '../deploy/helpers/deploy-tools.ts'
import { imageUnavailable } from '../deploy/helpers/image.ts'
import { ImageSandbox } from '../deploy/helpers/image-sandbox.ts'
import { renderOverlay } from '../deploy/helpers/kubernetes-tools.ts'
import { startManifestBroker, type ManifestBroker } from '../deploy/helpers/manifest-broker.ts'
import { at, parseManifests, podSpecOf, records, type Manifest } from '../deploy/helpers/manifest.ts'
import {
  httpGetIn,
  PodNetwork,
  podNetworkUnavailable,
  tcpOpensIn,
  type Pod,
} from '../deploy/helpers/pod-network.ts'
import { clusterHosts, podRuns, PROBE_FIELDS, type ContainerRun } from '../deploy/helpers/pod-specs.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { ServiceProcess, stopServices } from '../support/services.ts'

const unavailable = imageUnavailable() ?? podNetworkUnavailable()
if (unavailable !== undefined) console.log(`# manifests-run: skipped: ${unavailable}`)

const JOB_TIMEOUT_MS = 180_000

describe('the minikube overlay, every quotecast workload run from the image', { skip: unavailable }, () => {
  let objects: Manifest[]
  let runs: ContainerRun[]
  let sandbox: ImageSandbox
  let network: PodNetwork
  let broker: ManifestBroker | undefined
  let workDir: string
  let hostsFile: string
  const services: ServiceProcess[] = []
  const pods = new Map<string, Pod>()

  before(async () => {
    objects = parseManifests(renderOverlay(loadDeployTools(), 'minikube'))
    sandbox = ImageSandbox.open()
    const resolved = podRuns(objects, {
      entrypoint: sandbox.config.Entrypoint ?? [],
      commands: await cliCommands(),
    })
    assert.deepEqual(resolved.problems, [])
    runs = resolved.runs
    network = PodNetwork.create()
    pods.set('kafka-broker-0', network.addPod('kafka-broker-0'))
    for (const run of runs) pods.set(run.podName, network.addPod(run.podName))
    workDir = mkdtempSync(join(tmpdir(), 'quotecast-manifests-'))
    hostsFile = join(workDir, 'hosts')
    const addresses = new Map([...pods].map(([name, pod]) => [name, pod.address]))
    writeFileSync(hostsFile, ['127.0.0.1 localhost', ...clusterHosts(objects, addresses), ''].join('\n'))
  })
  after(async () => {
    await stopServices(services, 'SIGKILL')
    await broker?.stop()
    network.close()
    sandbox.close()
    rmSync(workDir, { recursive: true, force: true })
  })

  const runOf = (workload: string): ContainerRun => {
    const run = runs.find((candidate) => candidate.workload === workload)
    assert.ok(run, `${workload} is in the overlay`)
    return run
  }
  const podOf = (run: ContainerRun): Pod => {
    const pod = pods.get(run.podName)
    assert.ok(pod)
    return pod
  }
  const start = (run: ContainerRun): ServiceProcess => {
    const child = sandbox.spawn({
      ...(run.command === undefined ? {} : { command: run.command }),
      args: run.args,
      // The kubelet sets HOSTNAME to the pod's name.
      env: { HOSTNAME: run.podName, ...run.env },
      ...(run.user === undefined ? {} : { user: run.user }),
      writable: run.writable,
      emptyReadOnly: run.emptyReadOnly,
      readOnlyRoot: run.readOnlyRoot,
      netns: podOf(run).netns,
      hostsFile,
    })
    const service = new ServiceProcess(`${run.workload} (image)`, child)
    services.push(service)
    return service
  }
  /** A Job's pod, retried as the Job's backoffLimit allows (exit 2 fails at once: podFailurePolicy). */
  const runJob = async (run: ContainerRun, backoffLimit: number): Promise<ServiceProcess> => {
    for (let attempt = 0; ; attempt += 1) {
      const service = start(run)
      const timer = setTimeout(() => service.child.kill('SIGKILL'), JOB_TIMEOUT_MS)
      const exit = await service.exited
      clearTimeout(timer)
      if (exit.code === 0 || exit.code === 2 || attempt >= backoffLimit) return service
      await sleep(2000 * 2 ** attempt)
    }
  }
  const backoffLimitOf = (kind: string, name: string): number => {
    const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name)
    const spec = kind === 'CronJob' ? at(object, 'spec', 'jobTemplate', 'spec') : at(object, 'spec')
    return Number(at(spec, 'backoffLimit') ?? 6)
  }
  /** GET from the node (as the kubelet probes, and as a Service reaches the pod). */
  const get = async (
    run: ContainerRun,
    port: number,
    path: string,
  ): Promise<{ status: number; body: string }> => {
    const [answer] = await httpGetIn(network.nodeNetns, [`http://${podOf(run).address}:${port}${path}`])
    assert.ok(answer)
    return answer
  }
  /**
   * As the kubelet: the startup probe until it passes, then readiness until it passes (an unready
   * pod only gets no traffic), and liveness must pass at once (a failing one restarts the pod).
   */
  const probesPass = async (run: ContainerRun, service: ServiceProcess): Promise<void> => {
    const deadline = Date.now() + 120_000
    for (const field of PROBE_FIELDS) {
      const probe = run.probes.find((candidate) => candidate.field === field)
      if (probe?.port === undefined || probe.path === undefined) continue
      const where = `${run.workload} containers[${run.container}] ${probe.field} GET :${probe.port}${probe.path}`
      for (;;) {
        const answer = await get(run, probe.port, probe.path)
        if (answer.status >= 200 && answer.status < 400) break
        assert.ok(
          service.isRunning,
          `${where}: the container exited (${service.describeExit()}):\n${service.tail()}`,
        )
        assert.ok(
          field !== 'livenessProbe' && Date.now() < deadline,
          `${where} answered ${answer.status} ${answer.body.slice(0, 200)}\n${service.tail()}`,
        )
        await sleep(1000)
      }
    }
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
      const brokerPod = pods.get('kafka-broker-0')
      assert.ok(brokerPod)
      broker = await startManifestBroker({
        env,
        version: image.slice(image.lastIndexOf(':') + 1),
        mountPaths: records(kafka['volumeMounts']).map((mount) => String(mount['mountPath'])),
        netns: brokerPod.netns,
        hostsFile,
      })
      assert.equal(broker.properties['advertised.listeners'], 'PLAINTEXT://kafka-broker-0.kafka-broker:9092')
      // Its readiness probe: tcpSocket on the port named client, from the node.
      const client = records(kafka['ports']).find(
        (port) => port['name'] === at(kafka, 'readinessProbe', 'tcpSocket', 'port'),
      )
      const clientPort = Number(client?.['containerPort'])
      const brokerDeadline = Date.now() + 90_000
      while (!(await tcpOpensIn(network.nodeNetns, brokerPod.address, clientPort))) {
        assert.ok(
          Date.now() < brokerDeadline,
          `StatefulSet/kafka-broker readinessProbe tcpSocket :${clientPort} never opened`,
        )
        await sleep(500)
      }
      lap('broker ready')

      const topicsRun = runOf('Job/topics')
      const topics = await runJob(topicsRun, backoffLimitOf('Job', 'topics'))
      assert.equal(topics.describeExit(), 'exit code 0', `Job/topics:\n${topics.tail()}`)
      assert.match(topics.output, /"topic":"quotes"/)
      lap('Job/topics done')

      const deployments = runs.filter((run) => run.kind === 'Deployment')
      const started = deployments.map((run) => [run, start(run)] as const)
      for (const [run, service] of started) await probesPass(run, service)
      lap(`${deployments.map((run) => run.workload).join(', ')} ready and live`)

      const backfill = await runJob(runOf('Job/backfill'), backoffLimitOf('Job', 'backfill'))
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
      // QUOTECAST_BACKFILL_TO, and the CronJob's run must publish the next one.
      const backfillTo = Date.parse(`${runOf('Job/backfill').env['QUOTECAST_BACKFILL_TO']}T23:59:59Z`)
      const lastBackfilled = new Map<string, number>()
      const nextBar = new Map<string, number>()
      for (const [symbol, name] of [
        ['AAPL', 'aapl'],
        ['^GSPC', 'sp500'],
      ] as const) {
        const { bars } = await bundledSeries(name)
        const upTo = bars.filter((bar) => bar.start <= backfillTo)
        const last = upTo.at(-1)
        const next = bars[upTo.length]
        assert.ok(last && next, `${symbol}: the replay has bars on both sides of QUOTECAST_BACKFILL_TO`)
        lastBackfilled.set(symbol, last.start)
        nextBar.set(symbol, next.start)
      }
      /** dataAsOf of each symbol's latest prediction (the start of the bar it is from), or the error. */
      const dataAsOf = async (): Promise<Map<string, number | string>> => {
        const urls = symbols.map(
          (symbol) =>
            `http://${podOf(predictor).address}:${httpPort}/api/v1/predictions/${encodeURIComponent(symbol)}`,
        )
        const answers = await httpGetIn(network.nodeNetns, urls)
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
      const fetcher = await runJob(runOf('CronJob/fetcher'), backoffLimitOf('CronJob', 'fetcher'))
      assert.equal(fetcher.describeExit(), 'exit code 0', `CronJob/fetcher:\n${fetcher.tail()}`)
      assert.match(fetcher.stdout, /^all 2 symbols published$/m, fetcher.output)
      const escape = (text: string): string => text.replace(/[\^$.*+?()[\]{}|\\]/g, '\\$&')
      for (const [symbol, start] of nextBar) {
        const line = `^${escape(symbol)}\\s+published\\s+.* as of ${escape(new Date(start).toISOString())} from replay$`
        assert.match(fetcher.stdout, new RegExp(line, 'm'))
      }
      lap('CronJob/fetcher done')
      // What it published reaches the prediction service through the processor and the trainer.
      await waitForDataAsOf(nextBar, 'from the bar the CronJob published')
      lap('predictions served from the fetched bars')
      for (const [run, service] of started)
        assert.ok(service.isRunning, `${run.workload} is still running:\n${service.tail()}`)
    },
  )
})
