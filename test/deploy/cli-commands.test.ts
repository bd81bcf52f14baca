// Every command line given to the image — by the Dockerfile, compose.yaml and every rendered
// overlay — names a command and flags that `quotecast --help` really has.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import { parse } from 'yaml'
import { checkInvocations, cliCommands, cliCommandsInProcess, type Invocation } from './helpers/cli-help.ts'
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
