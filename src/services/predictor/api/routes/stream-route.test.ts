import assert from 'node:assert/strict'
import type { Readable } from 'node:stream'
import { test } from 'node:test'
import { createReplayFixture } from '../../../../../test/fixtures/predictor/create-replay-fixture.ts'
import { buildTestApp } from '../../../../../test/fixtures/predictor/build-test-app.ts'
import { createPredictorMetrics } from '../../metrics/create-predictor-metrics.ts'
import { createViews } from '../../views/create-views.ts'
import { errorResponse, historyPoint, predictionBody, scoresResponse } from '../api-schemas.ts'

/** Reads server-sent events from a stream until `count` events have arrived. */
async function readEvents(stream: Readable, count: number): Promise<{ event: string; data: unknown }[]> {
  const events: { event: string; data: unknown }[] = []
  let buffer = ''
  for await (const chunk of stream) {
    buffer += String(chunk)
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.+)$/m.exec(block)?.[1]
      const data = /^data: (.+)$/m.exec(block)?.[1]
      if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) })
      if (events.length === count) return events
    }
  }
  return events
}

test('GET /api/v1/stream sends new bars with their prediction, new predictions and new scores', async () => {
  const t = await buildTestApp({ streamHeartbeatMs: 60_000 })
  try {
    const response = await t.app.inject({ url: '/api/v1/stream?symbol=%5EGSPC', payloadAsStream: true })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^text\/event-stream/)
    const reading = readEvents(response.stream(), 3)
    const aaplNext = t.aapl.at(-1)!
    t.views.apply(
      { kind: 'bar', bar: { ...aaplNext.bar, start: aaplNext.bar.end, end: aaplNext.bar.end + 86_400_000 } },
      1,
    )
    const last = t.gspc.at(-1)!
    const next = createReplayFixture([
      last.bar,
      { ...last.bar, start: last.bar.end, end: last.bar.end + 86_400_000, close: last.bar.close * 1.01 },
    ])
    next()
    const step = next()!
    t.views.apply({ kind: 'bar', bar: step.bar }, 2)
    t.views.apply(
      {
        kind: 'prediction',
        prediction: { ...last.prediction!, basedOnBarStart: step.bar.start, forBarStart: step.bar.end },
      },
      2,
    )
    t.views.apply({ kind: 'model', snapshot: last.snapshot }, 2)
    const events = await reading
    assert.deepEqual(
      events.map((e) => e.event),
      ['bar', 'prediction', 'model'],
    )
    const bar = events[0]!.data as { symbol: string; point: unknown }
    assert.equal(bar.symbol, '^GSPC')
    const point = historyPoint.parse(bar.point)
    assert.equal(point.close, step.bar.close)
    assert.equal(
      point.prediction?.point,
      last.prediction!.point,
      'the bar comes with the prediction made for it',
    )
    assert.equal(predictionBody.parse(events[1]!.data).basedOnBarStart, step.bar.start)
    assert.equal(scoresResponse.parse(events[2]!.data).symbol, '^GSPC')
  } finally {
    await t.app.close()
  }
})

test('GET /api/v1/stream validates its symbol filter', async () => {
  const t = await buildTestApp()
  try {
    const bad = await t.app.inject({ url: '/api/v1/stream?symbol=not%20a%20ticker' })
    assert.equal(bad.statusCode, 400)
    assert.equal(errorResponse.parse(bad.json()).parameter, 'symbol')
    const unknown = await t.app.inject({ url: '/api/v1/stream?symbol=MSFT' })
    assert.equal(unknown.statusCode, 404)
    assert.equal(errorResponse.parse(unknown.json()).error, 'unknown_symbol')
  } finally {
    await t.app.close()
  }
})

test('past the configured number of open streams a new one is 429 too_many_streams, counted', async () => {
  const metrics = createPredictorMetrics({ views: createViews({ maxBarsPerSymbol: 10 }) })
  const t = await buildTestApp({ metrics, limits: { streamMaxClients: 2 }, streamHeartbeatMs: 60_000 })
  try {
    const open = [
      await t.app.inject({ url: '/api/v1/stream', payloadAsStream: true }),
      await t.app.inject({ url: '/api/v1/stream?symbol=AAPL', payloadAsStream: true }),
    ]
    assert.deepEqual(
      open.map((response) => response.statusCode),
      [200, 200],
    )
    const refused = await t.app.inject({ url: '/api/v1/stream' })
    assert.equal(refused.statusCode, 429)
    assert.equal(refused.headers['retry-after'], '10')
    assert.deepEqual(errorResponse.parse(refused.json()), {
      statusCode: 429,
      error: 'too_many_streams',
      message: '2 streams are open, the most this service serves at once: retry later',
    })
    const text = await metrics.registry.metrics()
    assert.match(text, /^quotecast_predictor_stream_clients 2$/m)
    assert.match(text, /^quotecast_predictor_stream_clients_refused_total 1$/m)
  } finally {
    await t.app.close()
  }
})
