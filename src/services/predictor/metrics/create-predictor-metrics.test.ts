import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createViews } from '../views/create-views.ts'
import { createPredictorMetrics } from './create-predictor-metrics.ts'

const linesOf = async (metrics: ReturnType<typeof createPredictorMetrics>): Promise<string[]> =>
  (await metrics.registry.metrics()).split('\n')

const requestsLine = (status: number, count: number): string =>
  `quotecast_http_requests_total{method="GET",route="/api/v1/predictions/:symbol",status="${status}"} ${count}`

test('requests are counted by method, route and status, each once however often scraped', async () => {
  const metrics = createPredictorMetrics({ views: createViews({ maxBarsPerSymbol: 10 }) })
  const ok = { method: 'GET', route: '/api/v1/predictions/:symbol', status: 200 }
  metrics.observeRequest(ok, 0.0004)
  metrics.observeRequest({ ...ok, status: 404 }, 0.002)
  const first = await linesOf(metrics)
  assert.ok(first.includes(requestsLine(200, 1)))
  assert.ok(first.includes(requestsLine(404, 1)))
  metrics.observeRequest(ok, 0.0004)
  metrics.observeRequest(ok, 0.03)
  const second = await linesOf(metrics)
  assert.ok(second.includes(requestsLine(200, 3)))
  assert.ok(second.includes(requestsLine(404, 1)))
  const histogram = 'quotecast_http_request_duration_seconds'
  const labels = 'method="GET",route="/api/v1/predictions/:symbol",status="200"'
  assert.ok(second.includes(`${histogram}_bucket{le="0.0005",${labels}} 2`))
  assert.ok(second.includes(`${histogram}_bucket{le="0.025",${labels}} 2`))
  assert.ok(second.includes(`${histogram}_bucket{le="0.05",${labels}} 3`))
  assert.ok(second.includes(`${histogram}_count{${labels}} 3`))
})
