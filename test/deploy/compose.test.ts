// compose.yaml: valid against the Compose specification's JSON schema, and the same hardened,
// pinned image and real CLI commands as on Kubernetes.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import { parse } from 'yaml'
import { KAFKA_VERSION } from '../../src/platform/kafka-broker/kafka-version.ts'
import { SETTINGS } from '../../src/platform/config/settings.ts'
import { loadDeployTools, runTool, type DeployTools } from './helpers/deploy-tools.ts'
import { at, isQuotecastImage, isRecord, strings, type Json } from './helpers/manifest.ts'

/** One-shot services: they exit when done, so they have no health check. */
const ONE_SHOT = new Set(['topics'])

function validateCompose(tools: DeployTools, file: string): { ok: boolean; output: string } {
  const result = runTool(tools.checkJsonschema.path, [
    '--builtin-schema',
    'vendor.compose-spec',
    '--color',
    'never',
    file,
  ])
  return { ok: result.status === 0, output: result.stdout + result.stderr }
}

describe('compose.yaml', () => {
  let tools: DeployTools
  let services: Record<string, Json>
  before(() => {
    tools = loadDeployTools()
    const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as {
      services: Record<string, Json>
    }
    services = compose.services
  })

  it('is valid against the Compose specification (check-jsonschema, vendor.compose-spec)', () => {
    const { ok, output } = validateCompose(tools, 'compose.yaml')
    assert.ok(ok, output)
  })

  it('rejects test/deploy/fixtures/broken-compose.yaml (a misspelt key)', () => {
    const { ok, output } = validateCompose(tools, 'test/deploy/fixtures/broken-compose.yaml')
    assert.equal(ok, false)
    assert.match(output, /'healthchek' was unexpected/)
  })

  it('runs the Apache Kafka release the tests run against, in KRaft mode', () => {
    const broker = Object.values(services).find((service) =>
      String(service['image']).startsWith('apache/kafka:'),
    )
    assert.ok(broker)
    assert.equal(broker['image'], `apache/kafka:${KAFKA_VERSION}`)
    const environment = broker['environment'] as Record<string, string>
    assert.equal(environment['KAFKA_PROCESS_ROLES'], 'broker,controller')
    assert.equal(environment['KAFKA_AUTO_CREATE_TOPICS_ENABLE'], 'false')
    assert.ok(isRecord(broker['healthcheck']))
  })

  it('runs every quotecast service hardened, with a health check when long-running, after the topics exist', () => {
    const quotecast = Object.entries(services).filter(([, service]) => isQuotecastImage(service['image']))
    assert.deepEqual(quotecast.map(([name]) => name).sort(), [
      'bridge',
      'fetcher',
      'predictor',
      'processor',
      'topics',
      'trainer',
    ])
    for (const [name, service] of quotecast) {
      assert.match(String(service['image']), /^quotecast:\d+\.\d+\.\d+$/, `${name}: pinned image`)
      assert.equal(service['read_only'], true, `${name}: read-only root filesystem`)
      assert.deepEqual(service['cap_drop'], ['ALL'], `${name}: no capabilities`)
      assert.match(String(service['user']), /^[1-9]\d*:\d+$/, `${name}: non-root user`)
      assert.ok(
        strings(service['tmpfs']).some((mount) => mount.startsWith('/tmp')),
        `${name}: /tmp is a tmpfs`,
      )
      if (!ONE_SHOT.has(name)) {
        assert.ok(isRecord(service['healthcheck']), `${name}: health check`)
        assert.equal(
          at(service, 'depends_on', 'topics', 'condition'),
          'service_completed_successfully',
          `${name}: after topics`,
        )
      }
    }
  })

  it('sets only quotecast settings in the environment', () => {
    const known = new Set<string>(Object.values(SETTINGS).map((setting) => setting.env))
    for (const [name, service] of Object.entries(services).filter(([, s]) => isQuotecastImage(s['image']))) {
      const unknown = Object.keys(service['environment'] as Record<string, string>).filter(
        (key) => !known.has(key),
      )
      assert.deepEqual(unknown, [], `${name}: not settings of src/platform/config/settings.ts`)
    }
  })

  it('publishes the dashboard on localhost:8080 and the broker on localhost:9092, on 127.0.0.1 only', () => {
    assert.deepEqual(strings(services['predictor']?.['ports']), ['127.0.0.1:8080:8080'])
    assert.deepEqual(strings(services['broker']?.['ports']), ['127.0.0.1:9092:9092'])
    for (const [name, service] of Object.entries(services))
      for (const mapping of strings(service['ports']))
        assert.match(mapping, /^127\.0\.0\.1:/, `${name} publishes ${mapping} on every host interface`)
  })
})
