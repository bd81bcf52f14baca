// The thin runner: what pod-specs.ts resolved, run from the image, each pod in its own network
// namespace of a PodNetwork with a shared /etc/hosts (cluster DNS, or compose's service names).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ServiceProcess, stopServices } from '../../support/services.ts'
import type { ImageSandbox } from './image-sandbox.ts'
import { httpGetIn, PodNetwork, type HttpAnswer, type Pod } from './pod-network.ts'
import { PROBE_FIELDS, type ContainerRun } from './pod-specs.ts'

const RUN_TIMEOUT_MS = 180_000

export class PodRunner {
  readonly network = PodNetwork.create()
  readonly hostsFile: string
  readonly #sandbox: ImageSandbox
  readonly #workDir = mkdtempSync(join(tmpdir(), 'quotecast-pods-'))
  readonly #services: ServiceProcess[] = []

  constructor(
    sandbox: ImageSandbox,
    podNames: readonly string[],
    hosts: (addresses: Map<string, string>) => string[],
  ) {
    this.#sandbox = sandbox
    for (const name of podNames) this.network.addPod(name)
    this.hostsFile = join(this.#workDir, 'hosts')
    const addresses = new Map([...this.network.pods].map(([name, pod]) => [name, pod.address]))
    writeFileSync(this.hostsFile, ['127.0.0.1 localhost', ...hosts(addresses), ''].join('\n'))
  }

  pod(name: string): Pod {
    const pod = this.network.pods.get(name)
    assert.ok(pod, `pod ${name} exists`)
    return pod
  }

  /** The container, as its runtime would start it (`command` replaces its command line). */
  start(run: ContainerRun, command?: readonly string[]): ServiceProcess {
    const child = this.#sandbox.spawn({
      ...(command !== undefined
        ? { command, args: [] }
        : { ...(run.command === undefined ? {} : { command: run.command }), args: run.args }),
      // The kubelet (and compose) set HOSTNAME to the pod's (container's) name.
      env: { HOSTNAME: run.podName, ...run.env },
      ...(run.user === undefined ? {} : { user: run.user }),
      writable: run.writable,
      emptyReadOnly: run.emptyReadOnly,
      readOnlyRoot: run.readOnlyRoot,
      netns: this.pod(run.podName).netns,
      hostsFile: this.hostsFile,
    })
    const service = new ServiceProcess(
      `${run.workload}${command === undefined ? '' : ' exec'} (image)`,
      child,
    )
    this.#services.push(service)
    return service
  }

  /** Runs to its end, retried up to `retries` times (not after exit 2: podFailurePolicy FailJob). */
  async runToEnd(run: ContainerRun, retries: number, command?: readonly string[]): Promise<ServiceProcess> {
    for (let attempt = 0; ; attempt += 1) {
      const service = this.start(run, command)
      const timer = setTimeout(() => service.child.kill('SIGKILL'), RUN_TIMEOUT_MS)
      const exit = await service.exited
      clearTimeout(timer)
      if (exit.code === 0 || exit.code === 2 || attempt >= retries) return service
      await sleep(2000 * 2 ** attempt)
    }
  }

  /** GETs from the node (as the kubelet probes, and as a Service or another container reaches the pod). */
  async get(run: ContainerRun, port: number, paths: readonly string[]): Promise<HttpAnswer[]> {
    const address = this.pod(run.podName).address
    return httpGetIn(
      this.network.nodeNetns,
      paths.map((path) => `http://${address}:${port}${path}`),
    )
  }

  /**
   * As the kubelet: the startup probe until it passes, then readiness until it passes (an unready
   * pod only gets no traffic), and liveness must pass at once (a failing one restarts the pod).
   * An exec probe (a compose healthcheck) runs its command in the container until it exits 0.
   */
  async probesPass(run: ContainerRun, service: ServiceProcess, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (const field of PROBE_FIELDS) {
      for (const probe of run.probes.filter((candidate) => candidate.field === field)) {
        const where =
          probe.kind === 'exec'
            ? `${run.workload} ${probe.field} exec [${probe.command?.join(' ')}]`
            : `${run.workload} containers[${run.container}] ${probe.field} GET :${probe.port}${probe.path}`
        for (;;) {
          let failure: string
          if (probe.kind === 'exec') {
            const exec = await this.runToEnd(run, 0, probe.command)
            if (exec.describeExit() === 'exit code 0') break
            failure = `${exec.describeExit()} ${exec.tail(5)}`
          } else if (probe.port !== undefined && probe.path !== undefined) {
            const [answer] = await this.get(run, probe.port, [probe.path])
            if (answer !== undefined && answer.status >= 200 && answer.status < 400) break
            failure = `${answer?.status} ${answer?.body.slice(0, 200)}`
          } else break
          assert.ok(
            service.isRunning,
            `${where}: the container exited (${service.describeExit()}):\n${service.tail()}`,
          )
          assert.ok(
            field !== 'livenessProbe' && Date.now() < deadline,
            `${where} answered ${failure}\n${service.tail()}`,
          )
          await sleep(1000)
        }
      }
    }
  }

  async close(): Promise<void> {
    await stopServices(this.#services, 'SIGKILL')
    this.network.close()
    rmSync(this.#workDir, { recursive: true, force: true })
  }
}
