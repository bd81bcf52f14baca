import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Registry } from 'prom-client'
import { z } from 'zod'
import { errorResponse, healthResponse } from '../api-schemas.ts'

/**
 * Liveness, readiness (views restored) and Prometheus metrics: outside the rate limit, for probes
 * and scrapers. Without a registry there is no /metrics (it is served on a port of its own).
 */
export const healthRoutes: FastifyPluginAsyncZod<{ isReady: () => boolean; registry?: Registry }> = (
  app,
  { isReady, registry },
) => {
  app.get(
    '/healthz',
    { schema: { summary: 'The process is alive', tags: ['operations'], response: { 200: healthResponse } } },
    () => ({ status: 'ok' as const }),
  )
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Ready once the views are restored from Kafka',
        tags: ['operations'],
        response: { 200: healthResponse, 503: healthResponse },
      },
    },
    (_request, reply) => {
      const isNowReady = isReady()
      void reply.code(isNowReady ? 200 : 503)
      return { status: isNowReady ? ('ready' as const) : ('starting' as const) }
    },
  )
  if (registry === undefined) return Promise.resolve()
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics: requests, latencies, consumer lag, views’ sizes',
        tags: ['operations'],
        produces: ['text/plain'],
        response: { 200: z.string(), 500: errorResponse },
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  )
  return Promise.resolve()
}
