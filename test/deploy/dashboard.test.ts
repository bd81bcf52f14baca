// The Grafana dashboard of the production overlay: well formed, shipped in the ConfigMap Grafana's
// sidecar loads, and querying only metrics that quotecast's code registers.
import assert from 'node:assert/strict'
import { globSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { collectDefaultMetrics, Registry } from 'prom-client'
import { loadDeployTools } from './helpers/deploy-tools.ts'
import { renderOverlay } from './helpers/kubernetes-tools.ts'
import { at, isRecord, parseManifests, records } from './helpers/manifest.ts'

const DASHBOARD = 'deploy/k8s/overlays/production/dashboards/quotecast.json'

/**
 * Panels written ahead of the code: the trainer does not export these yet. Remove a name once it
 * does; a dashboard name missing from the code and from this list fails the test.
 */
const AWAITED_METRICS = new Set<string>()

interface Panel {
  readonly id: number
  readonly type: string
  readonly title: string
  readonly datasource?: unknown
  readonly gridPos: { x: number; w: number }
  readonly targets?: { expr: string }[]
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  uid: string
  title: string
  panels: Panel[]
  templating: unknown
}
const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr))

/** Every metric name quotecast registers: its own (name: 'quotecast_…') and prom-client's defaults, prefixed as the code asks. */
async function exportedMetricNames(): Promise<Set<string>> {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const defaults = (await registry.getMetricsAsJSON()).map((metric) => metric.name)
  const names = new Set<string>()
  for (const file of globSync('src/**/*.ts').filter((path) => !path.endsWith('.test.ts'))) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/name:\s*'(quotecast_[a-z0-9_]+)'/g)) names.add(match[1] ?? '')
    for (const match of text.matchAll(/collectDefaultMetrics\(\{([^}]*)\}\)/g)) {
      const prefix = /prefix:\s*'([a-z0-9_]+)'/.exec(match[1] ?? '')?.[1] ?? ''
      for (const name of defaults) names.add(prefix + name)
    }
  }
  return names
}

describe(DASHBOARD, () => {
  it('is a dashboard of Prometheus panels on the chosen data source and namespace', () => {
    assert.equal(dashboard.uid, 'quotecast-overview')
    const variables = records(at(dashboard, 'templating', 'list')).map((variable) => variable['name'])
    assert.deepEqual(variables, ['datasource', 'namespace'])
    const ids = dashboard.panels.map((panel) => panel.id)
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique')
    for (const panel of dashboard.panels.filter((candidate) => candidate.type !== 'row')) {
      assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, panel.title)
      assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, `${panel.title} fits the grid`)
      assert.ok((panel.targets ?? []).length > 0, `${panel.title} has queries`)
      for (const target of panel.targets ?? [])
        assert.match(target.expr, /namespace="\$namespace"/, panel.title)
    }
  })

  it('is shipped by the production overlay in the ConfigMap Grafana loads', () => {
    const objects = parseManifests(renderOverlay(loadDeployTools(), 'production'))
    const configMap = objects.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name === 'quotecast-grafana-dashboard',
    )
    assert.ok(configMap)
    assert.equal(configMap.metadata.labels?.['grafana_dashboard'], '1')
    const data = configMap['data']
    assert.ok(isRecord(data) && typeof data['quotecast.json'] === 'string')
    assert.deepEqual(JSON.parse(data['quotecast.json']), dashboard)
  })

  it('queries only metrics the code registers, or ones awaited from it', async (t) => {
    const exported = await exportedMetricNames()
    const patterns = queries.flatMap((query) =>
      [...query.matchAll(/__name__=~"([^"]+)"/g)].map((match) => match[1] ?? ''),
    )
    const plain = new Set(
      queries
        .map((query) => query.replaceAll(/__name__=~"[^"]+"/g, ''))
        .flatMap((query) => [...query.matchAll(/\b(quotecast_[a-z0-9_]+)/g)])
        .map((match) => (match[1] ?? '').replace(/_(bucket|sum|count)$/, '')),
    )
    const unknown = [...plain].filter((name) => !exported.has(name) && !AWAITED_METRICS.has(name))
    assert.deepEqual(unknown, [], 'dashboard metrics nobody registers')
    for (const pattern of patterns) {
      assert.ok(
        [...exported].some((name) => new RegExp(`^(?:${pattern})$`).test(name)),
        `a registered metric matches ${pattern}`,
      )
    }
    const awaited = [...AWAITED_METRICS].filter((name) => !exported.has(name))
    assert.ok(
      [...AWAITED_METRICS].every((name) => plain.has(name)),
      'every awaited metric is still on the dashboard',
    )
    if (awaited.length > 0) t.todo(`awaited from the code: ${awaited.join(', ')}`)
  })
})
