import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp } from '../../../../../test/fixtures/predictor/build-test-app.ts'
import { errorResponse, healthResponse } from '../api-schemas.ts'

test('/healthz is always ok; /readyz and the API answer 503 until the views are restored', async () => {
  let isReady = false
  const { app } = await buildTestApp({ isReady: () => isReady })
  try {
    assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { status: 'ok' })
    const starting = await app.inject({ url: '/readyz' })
    assert.equal(starting.statusCode, 503)
    assert.deepEqual(healthResponse.parse(starting.json()), { status: 'starting' })
    const api = await app.inject({ url: '/api/v1/symbols' })
    assert.equal(api.statusCode, 503)
    assert.equal(api.headers['retry-after'], '1')
    assert.equal(errorResponse.parse(api.json()).error, 'not_ready')
    isReady = true
    assert.deepEqual((await app.inject({ url: '/readyz' })).json(), { status: 'ready' })
    assert.equal((await app.inject({ url: '/api/v1/symbols' })).statusCode, 200)
  } finally {
    await app.close()
  }
})

test('/metrics exposes requests, latencies, views’ sizes and stream clients in Prometheus text', async () => {
  const { app, aapl } = await buildTestApp()
  try {
    await app.inject({ url: '/api/v1/predictions/AAPL' })
    await app.inject({ url: '/api/v1/predictions/MSFT' })
    const response = await app.inject({ url: '/metrics' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^text\/plain/)
    const lines = response.body.split('\n')
    const has = (line: string): void => assert.ok(lines.includes(line), `missing ${line}`)
    has('quotecast_http_requests_total{method="GET",route="/api/v1/predictions/:symbol",status="200"} 1')
    has('quotecast_http_requests_total{method="GET",route="/api/v1/predictions/:symbol",status="404"} 1')
    has(
      'quotecast_http_request_duration_seconds_count{method="GET",route="/api/v1/predictions/:symbol",status="200"} 1',
    )
    has(`quotecast_predictor_view_size{view="symbols"} 2`)
    has(`quotecast_predictor_view_size{view="bars"} ${aapl.length + 600}`)
    has('quotecast_predictor_stream_clients 0')
  } finally {
    await app.close()
  }
})
