// A stand-in for a cluster's pod network, from Linux namespaces alone (needs root, iproute2 and
// util-linux): a private "node" network namespace with a bridge, and one network namespace per pod
// with its own loopback and an address on that bridge, so that every pod has its own ports (three
// Deployments can all listen on 9464) and reaches the others by address, as on a node. Nothing is
// created in the host's network namespace; everything vanishes when the holder processes end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { diesWithParent } from '../../../src/platform/kafka-broker/orphan-guard.ts'

const SUBNET = '10.244.0'

export interface Pod {
  readonly name: string
  readonly address: string
  /** The pod's network namespace, for `nsenter --net=`. */
  readonly netns: string
}

function run(args: readonly string[]): void {
  const [program = '', ...rest] = args
  const result = spawnSync(program, rest, { encoding: 'utf8', timeout: 10_000 })
  if (result.error !== undefined || result.status !== 0)
    throw new Error(`${args.join(' ')} failed: ${result.error?.message ?? result.stderr.trim()}`)
}

/** Why a pod network cannot be made here, or undefined when it can. */
export function podNetworkUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a pod network needs root (network namespaces)'
  for (const tool of ['ip', 'nsenter', 'unshare']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' })
    if (found.status !== 0) return `${tool} is not installed (iproute2, util-linux)`
  }
  const probe = spawnSync('unshare', ['--net', 'ip', 'link', 'add', 'probe0', 'type', 'bridge'], {
    encoding: 'utf8',
  })
  if (probe.status !== 0) return `network namespaces with a bridge are not available: ${probe.stderr.trim()}`
  return undefined
}

export class PodNetwork {
  readonly #holders: ChildProcess[] = []
  readonly #node: string
  readonly pods = new Map<string, Pod>()

  private constructor() {
    this.#node = this.#holder()
    this.inNode(['ip', 'link', 'set', 'lo', 'up'])
    this.inNode(['ip', 'link', 'add', 'cbr0', 'type', 'bridge'])
    this.inNode(['ip', 'addr', 'add', `${SUBNET}.1/24`, 'dev', 'cbr0'])
    this.inNode(['ip', 'link', 'set', 'cbr0', 'up'])
  }

  static create(): PodNetwork {
    return new PodNetwork()
  }

  /** The "node": where the kubelet's probes come from. */
  get nodeNetns(): string {
    return this.#node
  }

  #holder(): string {
    // Killed by the kernel when this process dies, however it dies: the namespace goes with it.
    const guarded = diesWithParent('unshare', ['--net', 'sleep', 'infinity'])
    const holder = spawn(guarded.command, guarded.args, { stdio: 'ignore' })
    this.#holders.push(holder)
    if (holder.pid === undefined) throw new Error('unshare --net did not start')
    // The namespace exists once unshare has exec'd sleep; wait for that.
    const netns = `/proc/${holder.pid}/ns/net`
    const deadline = Date.now() + 5000
    for (;;) {
      const same = spawnSync('sh', ['-c', `[ "$(readlink ${netns})" != "$(readlink /proc/self/ns/net)" ]`])
      if (same.status === 0) return netns
      if (Date.now() > deadline) throw new Error('unshare --net: no new network namespace in 5 s')
      spawnSync('sleep', ['0.05'])
    }
  }

  inNode(args: readonly string[]): void {
    run(['nsenter', `--net=${this.#node}`, '--', ...args])
  }

  /** A pod: its own network namespace, eth0 on the node's bridge, the next free address. */
  addPod(name: string): Pod {
    const index = this.pods.size + 2
    const address = `${SUBNET}.${index}`
    const netns = this.#holder()
    const inPod = (args: readonly string[]): void => run(['nsenter', `--net=${netns}`, '--', ...args])
    this.inNode(['ip', 'link', 'add', `veth${index}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns])
    this.inNode(['ip', 'link', 'set', `veth${index}`, 'master', 'cbr0'])
    this.inNode(['ip', 'link', 'set', `veth${index}`, 'up'])
    inPod(['ip', 'link', 'set', 'lo', 'up'])
    inPod(['ip', 'addr', 'add', `${address}/24`, 'dev', 'eth0'])
    inPod(['ip', 'link', 'set', 'eth0', 'up'])
    const pod = { name, address, netns }
    this.pods.set(name, pod)
    return pod
  }

  close(): void {
    for (const holder of this.#holders) holder.kill('SIGKILL')
  }
}

export interface HttpAnswer {
  readonly status: number
  readonly body: string
}

const FETCH_SCRIPT = `
const urls = JSON.parse(process.argv[1])
const answers = []
for (const url of urls) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) })
    answers.push({ status: response.status, body: await response.text() })
  } catch (error) {
    answers.push({ status: 0, body: String(error.cause?.code ?? error.message) })
  }
}
console.log(JSON.stringify(answers))
`

/** GETs each URL from inside a network namespace (status 0 and the error code when it fails). */
export async function httpGetIn(netns: string, urls: readonly string[]): Promise<HttpAnswer[]> {
  const child = spawn(
    'nsenter',
    [
      `--net=${netns}`,
      '--',
      process.execPath,
      '--input-type=module',
      '-e',
      FETCH_SCRIPT,
      JSON.stringify(urls),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`fetch in ${netns} failed (exit ${code}): ${stderr.trim()}`)
  return JSON.parse(stdout) as HttpAnswer[]
}

/** Whether a TCP connection to host:port opens from inside a network namespace. */
export async function tcpOpensIn(netns: string, host: string, port: number): Promise<boolean> {
  const script = `const s = require('node:net').connect(${port}, ${JSON.stringify(host)});
s.setTimeout(2000, () => process.exit(1)); s.on('connect', () => process.exit(0)); s.on('error', () => process.exit(1))`
  const child = spawn('nsenter', [`--net=${netns}`, '--', process.execPath, '-e', script], {
    stdio: 'ignore',
  })
  return (await new Promise<number | null>((resolve) => child.once('exit', resolve))) === 0
}
