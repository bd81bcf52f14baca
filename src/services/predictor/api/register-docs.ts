import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { apiSchemaRegistry } from './api-schemas.ts'

/** The OpenAPI document, generated from the routes' zod schemas, at /docs/json and its UI at /docs. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'quotecast prediction service',
        description:
          'Next-bar price predictions with calibrated 80 % and 95 % intervals, materialised from Kafka. ' +
          'Scores are prequential (predict, then learn) and compared with the naive random walk.',
        version: '1.0.0',
      },
      tags: [
        { name: 'predictions', description: 'bars and predictions' },
        { name: 'models', description: 'model scores and on-demand prediction' },
        { name: 'stream', description: 'live server-sent events' },
        { name: 'operations', description: 'health, readiness and metrics' },
      ],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: apiSchemaRegistry, skipList: [] }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: apiSchemaRegistry }),
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI sets a few inline styles (its SVG icons); allow them on its pages only.
    transformStaticCSP: (header) =>
      header.replace(/style-src ([^;]*)/, (directive) => `${directive} 'unsafe-inline'`),
  })
}
