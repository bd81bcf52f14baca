// The container image: hadolint clean, and built the way the manifests rely on (pinned Node 24
// base matching the project's Node, multi-stage, non-root, `node src/cli.ts` entrypoint).
import assert from 'node:assert/strict'
import { globSync, readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import { loadDeployTools, runTool, type DeployTools } from './helpers/deploy-tools.ts'
import { parseDockerfile, type Instruction } from './helpers/parse-dockerfile.ts'
import { testSupportSources } from './helpers/test-support-sources.ts'

interface HadolintFinding {
  readonly code: string
  readonly level: string
  readonly line: number
  readonly message: string
}

function hadolint(tools: DeployTools, file: string): HadolintFinding[] {
  // Every level counts, down to style and info: the Dockerfile is small enough to be spotless.
  const result = runTool(tools.hadolint.path, [
    '--no-color',
    '--failure-threshold',
    'style',
    '--format',
    'json',
    file,
  ])
  return JSON.parse(result.stdout) as HadolintFinding[]
}

/**
 * Sources in src/ that the services do not run but tests, benches and scripts do: the test
 * broker (src/platform/kafka-broker/), schema generation, the CSV reader and its feature rows the
 * benches replay, and the reference session check the calendars are tested against.
 */
const DEV_TOOLING = [
  'src/core/contracts/json-schemas.ts',
  'src/core/market-data/parse-ohlcv-csv.ts',
  'src/core/schedule/is-session-open.ts',
  'src/core/training/feature-rows-of.ts',
]

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  devDependencies: Record<string, string>
}

describe('Dockerfile', () => {
  let tools: DeployTools
  let instructions: Instruction[]
  before(() => {
    tools = loadDeployTools()
    instructions = parseDockerfile(readFileSync('Dockerfile', 'utf8'))
  })

  it('lints clean with hadolint', () => {
    assert.deepEqual(hadolint(tools, 'Dockerfile'), [])
  })

  it('builds in stages from a pinned node base of the Node version the project pins', () => {
    const bases = instructions
      .filter((instruction) => instruction.keyword === 'FROM')
      .map((from) => from.value.split(/\s+/)[0] ?? '')
    assert.ok(bases.length >= 2, 'multi-stage: dependencies are installed in a stage of their own')
    const node = packageJson.devDependencies['node']
    assert.ok(node, 'package.json pins node as a devDependency')
    for (const base of bases)
      assert.match(base, new RegExp(`^node:${node.replaceAll('.', '\\.')}-[a-z]+(-slim)?$`))
  })

  it('installs production dependencies only, from the lockfile', () => {
    const runs = instructions.filter((instruction) => instruction.keyword === 'RUN').map((run) => run.value)
    assert.ok(runs.some((run) => /npm ci\b.*--omit=dev/.test(run)))
  })

  it('ships src, web, data and the package manifests, and runs them as a non-root user', () => {
    const last = Math.max(...instructions.map((instruction) => instruction.stage))
    const final = instructions.filter((instruction) => instruction.stage === last)
    const copied = final.filter((instruction) => instruction.keyword === 'COPY').map((copy) => copy.value)
    for (const path of ['src', 'web', 'data', 'package.json', 'package-lock.json']) {
      assert.ok(
        copied.some((copy) => copy.split(/\s+/).includes(path)),
        `the final stage copies ${path}`,
      )
    }
    assert.ok(copied.some((copy) => copy.startsWith('--from=') && copy.includes('node_modules')))
    const user = final.filter((instruction) => instruction.keyword === 'USER').pop()?.value ?? ''
    assert.match(
      user,
      /^[1-9]\d*(:\d+)?$/,
      'the final USER is numeric and not root, so runAsNonRoot can verify it',
    )
  })

  it('has `node src/cli.ts` as its entrypoint, so every component is `quotecast <command>`', () => {
    const entrypoint = instructions.filter((instruction) => instruction.keyword === 'ENTRYPOINT').pop()
    assert.deepEqual(JSON.parse(entrypoint?.value ?? 'null'), ['node', 'src/cli.ts'])
  })

  it('sends only what the image needs to the build (.dockerignore allow-list)', () => {
    const lines = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
    assert.equal(lines[0], '*', 'everything is excluded first')
    assert.deepEqual(lines.filter((line) => line.startsWith('!')).sort(), [
      '!data/',
      '!package-lock.json',
      '!package.json',
      '!src/',
      '!web/',
    ])
  })

  it('src/ holds no test helper or fixture: those live under test/fixtures/, only named dev tooling stays', () => {
    const isDevTooling = (path: string): boolean =>
      path.startsWith('src/platform/kafka-broker/') || DEV_TOOLING.includes(path)
    assert.deepEqual(
      testSupportSources().helpers.filter((path) => !isDevTooling(path)),
      [],
      'sources in src/ that only tests, benchmarks or scripts import',
    )
    assert.deepEqual(globSync('src/**/fixtures/**/*'), [], 'fixtures under src/')
  })

  it('hadolint reports each fault of test/deploy/fixtures/broken.Dockerfile', () => {
    const codes = hadolint(tools, 'test/deploy/fixtures/broken.Dockerfile').map((finding) => finding.code)
    for (const code of ['DL3007', 'DL3002', 'DL3025'])
      assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`)
  })
})
