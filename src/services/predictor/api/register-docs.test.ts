import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildTestApp } from '../../../../test/fixtures/predictor/build-test-app.ts'

test('/docs/json documents every route with its parameters and named shapes; /docs serves the UI', async () => {
  const { app } = await buildTestApp()
  try {
    const document = (await app.inject({ url: '/docs/json' })).json<{
      openapi: string
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>
      >
      components: { schemas: Record<string, unknown> }
    }>()
    assert.equal(document.openapi, '3.1.0')
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/api/v1/history/{symbol}',
      '/api/v1/predict',
      '/api/v1/predictions/{symbol}',
      '/api/v1/scores/{symbol}',
      '/api/v1/stream',
      '/api/v1/symbols',
      '/healthz',
      '/metrics',
      '/readyz',
    ])
    const history = document.paths['/api/v1/history/{symbol}']?.['get']
    assert.ok(history !== undefined)
    assert.deepEqual(history.parameters?.map((p) => `${p.in}:${p.name}`).sort(), [
      'path:symbol',
      'query:from',
      'query:limit',
      'query:to',
    ])
    assert.deepEqual(Object.keys(history.responses).sort(), ['200', '400', '404', '429', '503'])
    for (const name of [
      'Error',
      'Prediction',
      'LatestPrediction',
      'SymbolSummary',
      'HistoryPoint',
      'Intervals',
      'Scores',
    ]) {
      assert.ok(name in document.components.schemas, `components.schemas.${name}`)
    }
    // One shape for the bands: the prediction and a history point's prediction name the same schema.
    const { Prediction, HistoryPoint } = document.components.schemas
    const intervalsRef = { $ref: '#/components/schemas/Intervals' }
    assert.deepEqual(
      (Prediction as { properties: Record<string, unknown> }).properties['intervals'],
      intervalsRef,
    )
    const historyPrediction = (HistoryPoint as { properties: Record<string, unknown> }).properties[
      'prediction'
    ]
    assert.match(
      JSON.stringify(historyPrediction),
      /"intervals":\{"\$ref":"#\/components\/schemas\/Intervals"\}/,
    )
    const ui = await app.inject({ url: '/docs/' })
    assert.equal(ui.statusCode, 200)
    assert.match(ui.body, /swagger/i)
  } finally {
    await app.close()
  }
})
