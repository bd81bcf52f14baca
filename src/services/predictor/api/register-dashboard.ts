import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** The dashboard's static files at /, and the charting library from its package (no CDN) under /vendor/. */
export async function registerDashboard(
  app: FastifyInstance,
  options: { webRoot: string; chartsDir: string },
): Promise<void> {
  await app.register(fastifyStatic, {
    root: options.webRoot,
    prefix: '/',
    wildcard: false,
    maxAge: '1m',
    index: ['index.html'],
  })
  app.get('/vendor/lightweight-charts.mjs', { schema: { hide: true } }, (_request, reply) =>
    reply.sendFile('lightweight-charts.standalone.production.mjs', `${options.chartsDir}/dist`, {
      maxAge: '1d',
    }),
  )
}
