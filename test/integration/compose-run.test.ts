// compose.yaml's quotecast services run from the image as compose would run them (helpers/
// pod-specs.ts composeRuns: command, environment, user, read_only with the tmpfs, healthchecks),
// each container in its own network namespace with the service names in /etc/hosts (compose's
// DNS), against the test broker started from the compose broker service's own env (the
// apache/kafka image's rule). The broker's own healthcheck (kafka-broker-api-versions.sh, a script
// of the image) is replaced by a TCP check of its PLAINTEXT port, and the `topics` service is
// retried until the broker answers, which compose's `service_healthy` condition does by waiting.
// Skips, saying why, without root, buildah, the image or network namespaces.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse } from 'yaml'
import { cliCommandsInProcess } from '../deploy/helpers/cli-help.ts'
import { imageUnavailable } from '../deploy/helpers/image.ts'
import { ImageSandbox } from '../deploy/helpers/image-sandbox.ts'
import { startManifestBroker, type ManifestBroker } from '../deploy/helpers/manifest-broker.ts'
import { isRecord, strings, type Json } from '../deploy/helpers/manifest.ts'
import { podNetworkUnavailable, tcpOpensIn } from '../deploy/helpers/pod-network.ts'
import { composeRuns, type ContainerRun } from '../deploy/helpers/pod-specs.ts'
import { PodRunner } from '../deploy/helpers/run-pods.ts'

const unavailable = imageUnavailable() ?? podNetworkUnavailable()
if (unavailable !== undefined) console.log(`# compose-run: skipped: ${unavailable}`)

describe("compose.yaml's quotecast services run from the image", { skip: unavailable }, () => {
  let compose: { services: Record<string, Json> }
  let runs: ContainerRun[]
  let sandbox: ImageSandbox
  let pods: PodRunner
  let broker: ManifestBroker | undefined

  before(async () => {
    compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as typeof compose
    sandbox = ImageSandbox.open()
    const resolved = composeRuns(compose, {
      entrypoint: sandbox.config.Entrypoint ?? [],
      commands: await cliCommandsInProcess(),
    })
    assert.deepEqual(resolved.problems, [])
    runs = resolved.runs
    const names = ['broker', ...runs.map((run) => run.podName)]
    pods = new PodRunner(sandbox, names, (addresses) => names.map((name) => `${addresses.get(name)} ${name}`))
  })
  after(async () => {
    await pods.close()
    await broker?.stop()
    sandbox.close()
  })

  const runOf = (service: string): ContainerRun => {
    const run = runs.find((candidate) => candidate.container === service)
    assert.ok(run, `service ${service} is in compose.yaml`)
    return run
  }

  test(
    'topics exits 0, every other service passes its healthcheck, the predictor serves predictions',
    { timeout: 300_000 },
    async (t) => {
      const startedAt = Date.now()
      const lap = (what: string): void =>
        t.diagnostic(`${what}: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
      const service = compose.services['broker']
      assert.ok(service && isRecord(service['environment']))
      const env = Object.fromEntries(
        Object.entries(service['environment']).map(([name, value]) => [name, String(value)]),
      )
      const image = String(service['image'])
      broker = await startManifestBroker({
        env,
        version: image.slice(image.lastIndexOf(':') + 1),
        mountPaths: strings(service['volumes']).map((volume) => volume.split(':')[1] ?? volume),
        netns: pods.pod('broker').netns,
        hostsFile: pods.hostsFile,
      })
      const bootstrap = runOf('topics').env['KAFKA_BOOTSTRAP_SERVERS'] ?? ''
      assert.equal(bootstrap, 'broker:19092')
      const deadline = Date.now() + 90_000
      while (!(await tcpOpensIn(pods.network.nodeNetns, pods.pod('broker').address, 19092))) {
        assert.ok(Date.now() < deadline, 'the compose broker never opened its PLAINTEXT port 19092')
        await sleep(500)
      }
      lap('broker up')

      const topics = await pods.runToEnd(runOf('topics'), 3)
      assert.equal(topics.describeExit(), 'exit code 0', `compose topics:\n${topics.tail()}`)
      lap('topics done')

      const longRunning = runs.filter((run) => !run.runsToCompletion)
      assert.deepEqual(longRunning.map((run) => run.container).sort(), [
        'bridge',
        'fetcher',
        'predictor',
        'processor',
        'trainer',
      ])
      const started = longRunning.map((run) => [run, pods.start(run)] as const)
      for (const [run, process] of started) await pods.probesPass(run, process)
      lap('every healthcheck passed')

      // The dashboard's port, published as 8080:8080: predictions for every configured symbol
      // from the bars the replaying fetcher publishes.
      const predictor = runOf('predictor')
      const symbols = (predictor.env['QUOTECAST_SYMBOLS'] ?? '').split(',')
      assert.deepEqual(symbols, ['AAPL', '^GSPC'])
      const paths = symbols.map((symbol) => `/api/v1/predictions/${encodeURIComponent(symbol)}`)
      const servedBy = Date.now() + 120_000
      for (;;) {
        const answers = await pods.get(predictor, Number(predictor.ports['8080']), paths)
        if (answers.every((answer) => answer.status === 200)) break
        assert.ok(Date.now() < servedBy, `compose predictor serves no prediction: ${JSON.stringify(answers)}`)
        await sleep(1000)
      }
      lap('predictions served')
      for (const [run, process] of started)
        assert.ok(process.isRunning, `compose ${run.container} is still running:\n${process.tail()}`)
    },
  )
})
