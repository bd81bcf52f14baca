// Every command line given to the image — by the Dockerfile, compose.yaml and every rendered
// overlay — names a command and flags that `quotecast --help` really has.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { parse } from 'yaml'
import {
  checkInvocations,
  CLI_ENTRY,
  cliCommands,
  cliCommandsInProcess,
  type Invocation,
} from './helpers/cli-help.ts'
import { loadDeployTools } from './helpers/deploy-tools.ts'
import { OVERLAYS, renderOverlay } from './helpers/kubernetes-tools.ts'
import {
  containersOf,
  isQuotecastImage,
  objectName,
  parseManifests,
  podSpecOf,
  strings,
  WORKLOAD_KINDS,
  type Json,
} from './helpers/manifest.ts'
import { parseDockerfile } from './helpers/parse-dockerfile.ts'
import { SETTINGS } from '../../src/platform/config/settings.ts'

describe('commands given to the quotecast image', () => {
  let commands: Map<string, Set<string>>
  const invocations: Invocation[] = []
  const overrides: string[] = []
  before(async () => {
    const tools = loadDeployTools()
    commands = await cliCommands()
    for (const overlay of OVERLAYS) {
      for (const object of parseManifests(renderOverlay(tools, overlay))) {
        const podSpec = WORKLOAD_KINDS.has(object.kind) ? podSpecOf(object) : undefined
        for (const { container } of podSpec === undefined ? [] : containersOf(podSpec)) {
          if (!isQuotecastImage(container['image'])) continue
          const where = `${overlay} ${objectName(object)}/${String(container['name'])}`
          if (container['command'] !== undefined) overrides.push(where)
          invocations.push({ where, args: strings(container['args']) })
        }
      }
    }
    const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as {
      services: Record<string, Json>
    }
    for (const [name, service] of Object.entries(compose.services)) {
      if (isQuotecastImage(service['image']))
        invocations.push({ where: `compose ${name}`, args: strings(service['command']) })
    }
  })

  it('the image runs the CLI: ENTRYPOINT node src/cli.ts, CMD a valid option', () => {
    const instructions = parseDockerfile(readFileSync('Dockerfile', 'utf8'))
    const entrypoint = instructions.filter((instruction) => instruction.keyword === 'ENTRYPOINT').pop()
    assert.deepEqual(JSON.parse(entrypoint?.value ?? 'null'), ['node', 'src/cli.ts'])
    const cmd = instructions.filter((instruction) => instruction.keyword === 'CMD').pop()
    assert.deepEqual(JSON.parse(cmd?.value ?? 'null'), ['--help'])
  })

  it('the program src/cli.ts builds has the same commands and options as its --help (cliCommandsInProcess)', async () => {
    const sorted = (map: ReadonlyMap<string, ReadonlySet<string>>): [string, string[]][] =>
      [...map].map(([name, options]): [string, string[]] => [name, [...options].sort()]).sort()
    assert.deepEqual(sorted(await cliCommandsInProcess()), sorted(commands))
  })

  it('no manifest replaces the entrypoint (they pass the command as args)', () => {
    assert.deepEqual(overrides, [])
  })

  it('every command and flag exists in `quotecast --help`', () => {
    assert.ok(invocations.length >= 10, `found the invocations (${invocations.length})`)
    const { unknownCommands, unknownFlags } = checkInvocations(invocations, commands)
    assert.deepEqual(unknownCommands, [])
    assert.deepEqual(unknownFlags, [])
  })

  it('every component of the design is deployed', () => {
    const used = new Set(invocations.map((invocation) => invocation.args[0]))
    for (const command of ['topics', 'fetch', 'backfill', 'process', 'train', 'serve'])
      assert.ok(used.has(command), command)
  })

  it('an unknown command or flag is reported', () => {
    const { unknownCommands, unknownFlags } = checkInvocations(
      [
        { where: 'a', args: ['predict'] },
        { where: 'b', args: ['fetch', '--wacth'] },
      ],
      commands,
    )
    assert.equal(unknownCommands.length, 1)
    assert.deepEqual(unknownFlags, [{ where: 'b', command: 'fetch', flag: '--wacth' }])
  })
})

interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The CLI run with only the given settings in its environment (none inherited from this one). */
function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Outcome> {
  const settingVariables = new Set<string>(Object.values(SETTINGS).map((setting) => setting.env))
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !settingVariables.has(name)),
  )
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_ENTRY, ...args],
      { env: { ...inherited, ...env }, timeout: 180_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        })
      },
    )
  })
}

describe('a bad setting or usage stops the CLI with exit code 2 naming it, before anything starts', () => {
  let taken: Server
  // Each command line below holds several faults where they are reported together (all values
  // are parsed before any is checked, and every check runs), so that few processes are spawned on
  // a loaded machine. [what, args, environment, what stderr must name]
  const broker = ['--kafka', '127.0.0.1:9']
  const cases: [string, (takenPort: number) => string[], Record<string, string>, RegExp[]][] = [
    [
      'values that do not parse: a broker port beyond 65535, an exponent, hexadecimal, an empty CORS origin',
      () => ['run', '--partitions', '1e3', '--cors-origin', ''],
      { KAFKA_BOOTSTRAP_SERVERS: 'host:99999', QUOTECAST_LIVE_BARS: '0x10' },
      [
        /--kafka \/ KAFKA_BOOTSTRAP_SERVERS = "host:99999": the port must be 1 to 65535/,
        /--partitions \/ QUOTECAST_PARTITIONS = "1e3": must be a whole number in decimal digits/,
        /--live-bars \/ QUOTECAST_LIVE_BARS = "0x10": must be a whole number in decimal digits/,
        /--cors-origin \/ QUOTECAST_CORS_ORIGIN = "": must be \*, or origins/,
      ],
    ],
    [
      'a missing CA file, SASL_SSL without a password, the health port in use',
      (takenPort) => [
        'process',
        ...broker,
        '--kafka-security',
        'SASL_SSL',
        '--kafka-username',
        'u',
        '--kafka-ca-file',
        '/nonexistent/ca.crt',
        '--health-port',
        String(takenPort),
      ],
      {},
      [
        /--kafka-ca-file \/ KAFKA_SSL_CA_FILE = "\/nonexistent\/ca.crt": cannot be read \(ENOENT\)/,
        /--kafka-password \/ KAFKA_SASL_PASSWORD is required with --kafka-security \/ KAFKA_SECURITY_PROTOCOL = SASL_SSL/,
        /--health-port \/ QUOTECAST_HEALTH_PORT = \d+: the port is already in use/,
      ],
    ],
    [
      'SASL_SSL without a user, an unresolvable host, the metrics port in use',
      (takenPort) => ['serve', ...broker, '--host', 'evil.invalid', '--metrics-port', String(takenPort)],
      { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_PASSWORD: 'p' },
      [
        /--kafka-username \/ KAFKA_SASL_USERNAME is required/,
        /--host \/ HOST = "evil.invalid", --port \/ PORT = 8080: the host name does not resolve/,
        /--metrics-port \/ QUOTECAST_METRICS_PORT = \d+: the port is already in use/,
      ],
    ],
    [
      'an impossible address',
      () => ['run', '--host', '999.1.1.1'],
      {},
      [/--host \/ HOST = "999.1.1.1", --port \/ PORT = 8080: the host name does not resolve/],
    ],
    [
      'the HTTP port in use',
      (takenPort) => ['run', '--port', String(takenPort)],
      {},
      [/--host \/ HOST = "127.0.0.1", --port \/ PORT = \d+: the port is already in use/],
    ],
    ['an unknown flag', () => ['serve', '--wacth'], {}, [/unknown option '--wacth'/]],
    ['an unknown command', () => ['predict'], {}, [/unknown command 'predict'/]],
  ]
  const outcomes = new Map<string, Promise<Outcome>>()
  before(async () => {
    taken = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => taken.once('listening', resolve))
    const takenPort = (taken.address() as AddressInfo).port
    for (const [what, args, env] of cases) outcomes.set(what, runCli(args(takenPort), env))
    await Promise.all(outcomes.values())
  })
  after(() => {
    taken.close()
  })

  for (const [what, , , named] of cases) {
    it(what, async () => {
      const outcome = await outcomes.get(what)
      assert.ok(outcome)
      assert.equal(outcome.code, 2, outcome.stderr)
      for (const pattern of named) assert.match(outcome.stderr, pattern)
      assert.doesNotMatch(outcome.stderr, /\n\s+at /, 'no stack trace')
      // Nothing started: no log line (the logger writes to stdout) and no banner.
      assert.equal(outcome.stdout, '')
    })
  }

  it('a good configuration still starts: `run` on a free port prints its bound address', async () => {
    const child = execFile(process.execPath, [CLI_ENTRY, 'run', '--port', '0', '--log-level', 'silent'], {
      timeout: 180_000,
    })
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', () => {
        if (stdout.includes('API docs')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`exited ${String(code)} before listening: ${stdout}`)))
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    assert.match(
      stdout,
      /quotecast is running on 127\.0\.0\.1:\d+ — open the dashboard: http:\/\/127\.0\.0\.1:\d+/,
    )
  })
})
