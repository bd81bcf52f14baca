// The test entry point: starts a real Kafka broker when integration tests need one, runs
// `node --test` over the selected files, and always stops the broker.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, globSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { logTail } from '../src/platform/kafka-broker/log-tail.ts'
import { startKafkaBroker, type KafkaBroker } from '../src/platform/kafka-broker/start-broker.ts'

const UNIT_PATTERNS = ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts']
const INTEGRATION_PATTERNS = ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts']
const INTEGRATION_DIRS = ['test/integration/', 'test/faults/']
/** One test file at a time: with a JVM broker on a 2-core machine, parallel files make timings flaky. */
const DEFAULT_CONCURRENCY = '1'
const DEFAULT_TEST_TIMEOUT_MS = 120_000

const USAGE = `Usage: node scripts/test.ts [--unit-only | --integration-only] [--concurrency N] [--test-*=...] [FILE|GLOB ...]
  Integration tests are test/integration/**/*.test.ts and test/faults/**/*.test.ts; all other
  *.test.ts files (beside the code in src/ and bench/, or in test/) are unit tests.
  A Kafka broker is started for integration tests unless KAFKA_BOOTSTRAP_SERVERS is set.
  --test-* flags (e.g. --test-name-pattern=foo) go to node --test as they are.`

function say(message: string): void {
  console.log(`[test] ${message}`)
}

function isIntegrationFile(file: string): boolean {
  return INTEGRATION_DIRS.some((dir) => file.startsWith(dir))
}

function selectFiles(patterns: readonly string[], kind: 'all' | 'unit' | 'integration'): string[] {
  const files = new Set<string>()
  for (const pattern of patterns) {
    const matches = existsSync(pattern)
      ? [pattern]
      : globSync(pattern, { exclude: (path) => path.includes('node_modules') })
    for (const file of matches) files.add(relative(process.cwd(), resolve(file)))
  }
  return [...files]
    .filter((file) => kind === 'all' || (kind === 'integration') === isIntegrationFile(file))
    .sort()
}

const passThrough = process.argv.slice(2).filter((arg) => arg.startsWith('--test-'))
const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((arg) => !arg.startsWith('--test-')),
  allowPositionals: true,
  options: {
    'unit-only': { type: 'boolean' },
    'integration-only': { type: 'boolean' },
    concurrency: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help === true) {
  console.log(USAGE)
  process.exit(0)
}
if (values['unit-only'] === true && values['integration-only'] === true) {
  console.error('--unit-only and --integration-only exclude each other')
  process.exit(2)
}

const kind =
  values['unit-only'] === true ? 'unit' : values['integration-only'] === true ? 'integration' : 'all'
const defaultPatterns = kind === 'integration' ? INTEGRATION_PATTERNS : UNIT_PATTERNS
const files = selectFiles(positionals.length > 0 ? positionals : defaultPatterns, kind)
if (files.length === 0) {
  say(
    `no ${kind === 'all' ? '' : `${kind} `}test files match ${positionals.join(' ') || defaultPatterns.join(' ')}`,
  )
  process.exit(positionals.length > 0 ? 1 : 0)
}

let testRunner: ChildProcess | undefined
let interruptedBy: NodeJS.Signals | undefined
/** Read through a call: the signal handler changes it while `main` awaits. */
const interruption = (): NodeJS.Signals | undefined => interruptedBy
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

function onSignal(signal: NodeJS.Signals): void {
  if (interruptedBy !== undefined) {
    // A second Ctrl-C: exit now; the exit handlers still kill the broker and remove its files.
    process.exit(130)
  }
  interruptedBy = signal
  say(`${signal}: stopping the tests and the broker`)
  testRunner?.kill(signal)
}

async function runTests(env: NodeJS.ProcessEnv): Promise<number> {
  const concurrency = values.concurrency ?? env['QUOTECAST_TEST_CONCURRENCY'] ?? DEFAULT_CONCURRENCY
  const nodeArgs = [
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${DEFAULT_TEST_TIMEOUT_MS}`,
    // A leaked client handle must fail its own test, not hang the whole run. Known cost
    // (nodejs/node#64833, open): with concurrency the parent may drop a few verdicts from a
    // file's report, so the printed count can come out low; a failing file still fails the run.
    '--test-force-exit',
    ...passThrough,
    ...files,
  ]
  say(`running ${files.length} test file(s), concurrency ${concurrency}`)
  return new Promise<number>((resolve) => {
    testRunner = spawn(process.execPath, nodeArgs, { stdio: 'inherit', env })
    testRunner.once('error', (error) => {
      console.error('[test] could not start node --test:', error)
      resolve(1)
    })
    testRunner.once('exit', (code, signal) => {
      resolve(code ?? (signal === null ? 1 : 128))
    })
  })
}

async function main(): Promise<number> {
  const env = { ...process.env }
  let broker: KafkaBroker | undefined
  const preset = env['KAFKA_BOOTSTRAP_SERVERS']
  if (files.some(isIntegrationFile)) {
    if (preset !== undefined && preset !== '') {
      say(`using the Kafka broker at KAFKA_BOOTSTRAP_SERVERS=${preset}`)
    } else {
      const startedAt = Date.now()
      broker = await startKafkaBroker()
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1)
      say(`started Apache Kafka ${broker.version} broker at ${broker.bootstrap} (${seconds} s)`)
      env['KAFKA_BOOTSTRAP_SERVERS'] = broker.bootstrap
      env['QUOTECAST_KAFKA_VERSION'] = broker.version
    }
  }
  try {
    if (interruption() !== undefined) return 130
    const exitCode = await runTests(env)
    const signal = interruption()
    if (exitCode !== 0 && broker !== undefined && signal === undefined) {
      say(`tests failed; the broker log (${broker.logPath}) ends with:\n${logTail(broker.logPath, 30)}`)
    }
    return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : exitCode
  } finally {
    if (broker !== undefined) {
      await broker.stop()
      say('stopped Kafka broker')
    }
  }
}

process.exit(await main())
