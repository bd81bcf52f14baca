import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { buildTestApp } from '../../../../test/fixtures/predictor/build-test-app.ts'
import { errorResponse } from './api-schemas.ts'

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

test('static files answer Range with 206 or 416, and conditional requests with 304 or 412, never 500', async () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'quotecast-web-'))
  const content = Array.from({ length: 100 }, (_, i) => String(i % 10)).join('')
  writeFileSync(join(webRoot, 'file.txt'), content)
  const { app } = await buildTestApp({ webRoot })
  try {
    const plain = await app.inject({ url: '/file.txt' })
    const etag = String(plain.headers.etag)
    const lastModified = String(plain.headers['last-modified'])
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString()
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString()
    const cases: [Record<string, string>, number, string | undefined, string][] = [
      [{ range: 'bytes=0-9' }, 206, 'bytes 0-9/100', content.slice(0, 10)],
      [{ range: 'bytes=95-' }, 206, 'bytes 95-99/100', content.slice(95)],
      [{ range: 'bytes=-3' }, 206, 'bytes 97-99/100', content.slice(97)],
      [{ range: 'bytes=99-200' }, 206, 'bytes 99-99/100', content.slice(99)],
      [{ range: 'bytes=999999999-' }, 416, 'bytes */100', 'range_not_satisfiable'],
      [{ range: 'bytes=100-' }, 416, 'bytes */100', 'range_not_satisfiable'],
      [{ range: 'bytes=5-1' }, 416, 'bytes */100', 'range_not_satisfiable'],
      [{ range: 'bytes=abc' }, 416, 'bytes */100', 'range_not_satisfiable'],
      [{ range: 'items=0-5' }, 200, undefined, content],
      [{ range: 'bytes=0-1,5-6' }, 200, undefined, content],
      [{ range: 'bytes=0-4', 'if-range': etag }, 206, 'bytes 0-4/100', content.slice(0, 5)],
      [{ range: 'bytes=0-4', 'if-range': '"other"' }, 200, undefined, content],
      [{ 'if-match': '"x"' }, 412, undefined, 'precondition_failed'],
      [{ 'if-match': etag }, 200, undefined, content],
      [{ 'if-match': '*' }, 200, undefined, content],
      [{ 'if-unmodified-since': '1990' }, 412, undefined, 'precondition_failed'],
      [{ 'if-unmodified-since': earlier }, 412, undefined, 'precondition_failed'],
      [{ 'if-unmodified-since': later }, 200, undefined, content],
      [{ 'if-unmodified-since': 'not a date' }, 200, undefined, content],
      [{ 'if-none-match': etag }, 304, undefined, ''],
      [{ 'if-none-match': '*' }, 304, undefined, ''],
      [{ 'if-none-match': '"x"' }, 200, undefined, content],
      [{ 'if-modified-since': lastModified }, 304, undefined, ''],
      [{ 'if-modified-since': earlier }, 200, undefined, content],
    ]
    for (const [headers, status, contentRange, body] of cases) {
      const shown = JSON.stringify(headers)
      const response = await app.inject({ url: '/file.txt', headers })
      assert.equal(response.statusCode, status, `${shown}: ${response.body}`)
      assert.equal(response.headers['content-range'], contentRange, shown)
      if (status >= 400) {
        const error = errorResponse.parse(response.json())
        assert.deepEqual([error.statusCode, error.error], [status, body], shown)
        assert.equal(response.headers['x-content-type-options'], 'nosniff', shown)
      } else assert.equal(response.body, body, shown)
    }
  } finally {
    await app.close()
    rmSync(webRoot, { recursive: true })
  }
})
