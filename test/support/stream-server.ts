// A prediction service's HTTP app in a process of its own, so that a test's clients do not count
// in its memory. Run with --expose-gc; the limits are argv[2] as JSON. It answers the parent's IPC
// requests: `publish` N model events to every stream, `measure` the heap and RSS after a full
// collection and the open connections.
import type { AddressInfo } from 'node:net'
import { setImmediate as yieldToIo } from 'node:timers/promises'
import { buildApp } from '../../src/services/predictor/api/build-app.ts'
import type { HttpLimits } from '../../src/services/predictor/api/http-limits.ts'
import { applySteps } from '../fixtures/predictor/apply-steps.ts'
import { realSeriesSteps } from '../fixtures/predictor/real-series-steps.ts'
import { createPredictorMetrics } from '../../src/services/predictor/metrics/create-predictor-metrics.ts'
import { createModelPredictor } from '../../src/services/predictor/predict/create-model-predictor.ts'
import { createViews } from '../../src/services/predictor/views/create-views.ts'

/** What the parent asks; each request carries an id, which the answer repeats. */
export type StreamServerAsk =
  { readonly kind: 'publish'; readonly events: number } | { readonly kind: 'measure' }
export type StreamServerRequest = StreamServerAsk & { readonly id: number }

export interface StreamServerMeasure {
  /** The V8 heap in use plus the ArrayBuffers (Buffers) outside it: what the stream buffers cost. */
  readonly heapUsedBytes: number
  readonly rssBytes: number
  readonly connections: number
}

export type StreamServerMessage =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly id: number; readonly kind: 'published'; readonly heapUsedBytes: number }
  | ({ readonly id: number; readonly kind: 'measured' } & StreamServerMeasure)

const limits = JSON.parse(process.argv[2] ?? '{}') as Partial<HttpLimits>
const views = createViews({ maxBarsPerSymbol: 200 })
const steps = realSeriesSteps('^GSPC', 100)
applySteps(views, steps, 0)
const snapshot = steps.at(-1)!.snapshot
const app = await buildApp({
  views,
  metrics: createPredictorMetrics({ views }),
  predict: createModelPredictor(),
  rateLimitPerMinute: 1_000_000_000,
  streamHeartbeatMs: 3_600_000,
  limits,
})
await app.listen({ port: 0, host: '127.0.0.1' })
const reply = (message: StreamServerMessage): void => void process.send?.(message)
const gc = (globalThis as { gc?: () => void }).gc
const heapUsed = (memory: NodeJS.MemoryUsage): number => memory.heapUsed + memory.arrayBuffers

process.on('message', (request: StreamServerRequest) => {
  void (async () => {
    if (request.kind === 'publish') {
      for (let event = 0; event < request.events; event += 1) {
        views.apply({ kind: 'model', snapshot }, Date.now())
        if (event % 10 === 9) await yieldToIo()
      }
      reply({ id: request.id, kind: 'published', heapUsedBytes: heapUsed(process.memoryUsage()) })
      return
    }
    gc?.()
    gc?.()
    const connections = await new Promise<number>((resolve, reject) =>
      app.server.getConnections((error, count) => (error === null ? resolve(count) : reject(error))),
    )
    const memory = process.memoryUsage()
    reply({
      id: request.id,
      kind: 'measured',
      heapUsedBytes: heapUsed(memory),
      rssBytes: memory.rss,
      connections,
    })
  })()
})
process.once('disconnect', () => void app.close())
reply({ kind: 'listening', port: (app.server.address() as AddressInfo).port })
