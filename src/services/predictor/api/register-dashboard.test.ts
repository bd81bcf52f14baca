import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp } from '../fixtures/build-test-app.ts'

test('the dashboard and the charting library are served by the app, with security and CORS headers', async () => {
  const { app } = await buildTestApp({ corsOrigin: 'https://example.org' })
  try {
    const page = await app.inject({ url: '/', headers: { origin: 'https://example.org' } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<script type="module" src="\/app\.js">/)
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/)
    assert.equal(page.headers['x-content-type-options'], 'nosniff')
    assert.equal(page.headers['access-control-allow-origin'], 'https://example.org')
    const script = await app.inject({ url: '/app.js' })
    assert.equal(script.statusCode, 200)
    assert.match(String(script.headers['content-type']), /javascript/)
    const library = await app.inject({ url: '/vendor/lightweight-charts.mjs' })
    assert.equal(library.statusCode, 200)
    assert.match(library.body, /Lightweight Charts/)
    const other = await app.inject({ url: '/api/v1/symbols', headers: { origin: 'https://evil.example' } })
    assert.equal(other.headers['access-control-allow-origin'], undefined)
  } finally {
    await app.close()
  }
})
