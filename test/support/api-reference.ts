import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/services/predictor/api/build-app.ts'
import { createPredictorMetrics } from '../../src/services/predictor/metrics/create-predictor-metrics.ts'
import { createModelPredictor } from '../../src/services/predictor/predict/create-model-predictor.ts'
import { createViews } from '../../src/services/predictor/views/create-views.ts'
import { decodeChange } from '../../src/services/predictor/views/decode-change.ts'
import type { ExpectedOutputs } from './expected-outputs.ts'

const utf8 = new TextEncoder()

/** A request both apps answer; `body` makes it a POST. */
export interface ApiRequest {
  readonly url: string
  readonly body?: unknown
}

/** How an answer is filed: the URL, and for a POST the symbol of its body. */
export function requestKey(request: ApiRequest): string {
  if (request.body === undefined) return request.url
  const body: unknown = request.body
  const symbol = typeof body === 'object' && body !== null && 'symbol' in body ? String(body.symbol) : '?'
  return `POST ${request.url} ${symbol}`
}

/** What the API must answer, asked of this and of the live service; JSON bodies by request. */
export function apiRequests(expected: ExpectedOutputs): ApiRequest[] {
  const requests: ApiRequest[] = [{ url: '/api/v1/symbols' }]
  for (const [symbol, features] of expected.features) {
    const path = encodeURIComponent(symbol)
    requests.push(
      { url: `/api/v1/predictions/${path}` },
      { url: `/api/v1/scores/${path}` },
      { url: `/api/v1/history/${path}?limit=5000` },
      { url: '/api/v1/predict', body: JSON.parse(features.at(-1) ?? 'null') as unknown },
    )
  }
  return requests
}

/**
 * The prediction service's HTTP app, in process, over views filled with the expected messages:
 * what the live service must answer once it has read the topics.
 */
export async function referenceApp(
  expected: ExpectedOutputs,
  maxBarsPerSymbol = 2000,
): Promise<FastifyInstance> {
  const views = createViews({ maxBarsPerSymbol })
  const apply = (kind: 'bar' | 'prediction' | 'model', value: string | Uint8Array): void => {
    const change = decodeChange(kind, typeof value === 'string' ? utf8.encode(value) : value)
    assert.ok(change.ok && change.value !== null, `an expected ${kind} the service cannot read`)
    views.apply(change.value, 0)
  }
  for (const [symbol, bars] of expected.bars) {
    for (const bar of bars) apply('bar', bar)
    for (const prediction of expected.predictions.get(symbol) ?? []) apply('prediction', prediction)
    const snapshot = expected.snapshots.get(symbol)
    if (snapshot !== undefined) apply('model', snapshot)
  }
  return buildApp({ views, metrics: createPredictorMetrics({ views }), predict: createModelPredictor() })
}

/** Answers that depend on nothing but the data: the wall-clock `receivedAt` of /symbols is left out. */
function comparable(url: string, body: unknown): unknown {
  if (url !== '/api/v1/symbols' || typeof body !== 'object' || body === null) return body
  const { symbols } = body as { symbols: Record<string, unknown>[] }
  return { symbols: symbols.map(({ receivedAt: _receivedAt, ...rest }) => rest) }
}

/** The reference app's answers, status and body, by request. */
export async function referenceAnswers(
  app: FastifyInstance,
  requests: readonly ApiRequest[],
): Promise<Map<string, unknown>> {
  const answers = new Map<string, unknown>()
  for (const request of requests) {
    const response = await app.inject({
      method: request.body === undefined ? 'GET' : 'POST',
      url: request.url,
      ...(request.body === undefined ? {} : { payload: request.body as object }),
    })
    answers.set(requestKey(request), {
      status: response.statusCode,
      body: comparable(request.url, response.json()),
    })
  }
  return answers
}

/** The live service's answers over HTTP, in the same form. */
export async function liveAnswers(
  baseUrl: string,
  requests: readonly ApiRequest[],
): Promise<Map<string, unknown>> {
  const answers = new Map<string, unknown>()
  for (const request of requests) {
    const response = await fetch(`${baseUrl}${request.url}`, {
      method: request.body === undefined ? 'GET' : 'POST',
      ...(request.body === undefined
        ? {}
        : { body: JSON.stringify(request.body), headers: { 'content-type': 'application/json' } }),
    })
    answers.set(requestKey(request), {
      status: response.status,
      body: comparable(request.url, await response.json()),
    })
  }
  return answers
}
