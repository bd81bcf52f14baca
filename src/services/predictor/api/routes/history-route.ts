import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { viewOrThrow, type ApiDeps } from '../api-deps.ts'
import { errorResponse, historyQuery, historyResponse, symbolParams } from '../api-schemas.ts'
import { historyPoints } from '../../present/history-points.ts'

/** Bars with the prediction made for each and its error. */
export const historyRoute: FastifyPluginAsyncZod<ApiDeps> = (app, { views }) => {
  app.get(
    '/history/:symbol',
    {
      schema: {
        summary: 'Bars with the prediction that was made for each, and its error',
        tags: ['predictions'],
        params: symbolParams,
        querystring: historyQuery,
        response: {
          200: historyResponse,
          400: errorResponse,
          404: errorResponse,
          429: errorResponse,
          503: errorResponse,
        },
      },
    },
    (request) => {
      const view = viewOrThrow(views, request.params.symbol)
      const { from, to, limit } = request.query
      const points = historyPoints(view, from ?? 0, to ?? Number.MAX_SAFE_INTEGER, limit)
      return { symbol: view.symbol, interval: view.interval, count: points.length, points }
    },
  )
  return Promise.resolve()
}
