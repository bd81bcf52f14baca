import assert from 'node:assert/strict'
import { test } from 'node:test'
import helmet from '@fastify/helmet'
import Fastify from 'fastify'
import type { InjectOptions } from 'fastify'
import { buildTestApp } from '../../../../test/fixtures/predictor/build-test-app.ts'
import { errorResponse } from './api-schemas.ts'
import { SECURITY_HEADERS } from './security-headers.ts'

test('the security headers are the ones @fastify/helmet sends with the service’s settings', async () => {
  const app = Fastify()
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: false,
  })
  app.get('/', () => 'ok')
  try {
    const { headers } = await app.inject({ url: '/' })
    const fromHelmet = Object.fromEntries(
      Object.entries(headers).filter(
        ([name]) => !['content-type', 'content-length', 'date', 'connection'].includes(name),
      ),
    )
    assert.deepEqual(fromHelmet, SECURITY_HEADERS)
  } finally {
    await app.close()
  }
})

test('errors from the router, the body parser and CORS carry the security headers too', async () => {
  const { app } = await buildTestApp()
  const json = { 'content-type': 'application/json' }
  const cases: [string, InjectOptions, number][] = [
    ['undecodable URL', { url: '/api/v1/predictions/%E0%A4%A' }, 400],
    ['lone %', { url: '/api/v1/predictions/%' }, 400],
    ['parameter over 256 characters', { url: `/api/v1/predictions/${'A'.repeat(300)}` }, 400],
    ['unknown route', { url: '/api/v1/nope' }, 404],
    ['unknown method', { method: 'DELETE', url: '/api/v1/symbols' }, 404],
    ['body not JSON', { method: 'POST', url: '/api/v1/predict', headers: json, payload: '{"a":' }, 400],
    ['empty body', { method: 'POST', url: '/api/v1/predict', headers: json, payload: '' }, 400],
    [
      'media type',
      { method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'text/csv' }, payload: 'a' },
      415,
    ],
    [
      'body too large',
      { method: 'POST', url: '/api/v1/predict', headers: json, payload: ' '.repeat(70_000) },
      413,
    ],
    ['preflight without headers', { method: 'OPTIONS', url: '/api/v1/symbols' }, 400],
  ]
  try {
    for (const [name, request, status] of cases) {
      const response = await app.inject(request)
      assert.equal(response.statusCode, status, `${name}: ${response.body}`)
      for (const [header, value] of Object.entries(SECURITY_HEADERS))
        assert.equal(response.headers[header], value, `${name}: ${header}`)
      assert.equal(response.headers['access-control-allow-origin'], '*', name)
      assert.equal(errorResponse.parse(response.json()).statusCode, status, name)
    }
  } finally {
    await app.close()
  }
})
