import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ApiError } from '../api-error.ts'
import { viewOrThrow, type ApiDeps } from '../api-deps.ts'
import {
  errorResponse,
  noQuery,
  predictionResponse,
  scoresResponse,
  symbolParams,
  symbolsResponse,
} from '../api-schemas.ts'
import { createLatestPredictionBodies } from '../../present/latest-prediction-body.ts'
import { scoresOf } from '../../present/scores-of.ts'
import { summariseSymbol } from '../../present/summarise-symbol.ts'

const notFound = { 400: errorResponse, 404: errorResponse, 429: errorResponse, 503: errorResponse }

/** The symbols list, each symbol's next-bar prediction and its models' scores against naive. */
export const symbolRoutes: FastifyPluginAsyncZod<ApiDeps> = (app, { views }) => {
  const latestPredictionBody = createLatestPredictionBodies()
  app.get(
    '/symbols',
    {
      schema: {
        summary: 'Symbols with their last close, latest prediction and served model',
        tags: ['predictions'],
        querystring: noQuery,
        response: { 200: symbolsResponse, 400: errorResponse, 429: errorResponse, 503: errorResponse },
      },
    },
    () => ({
      symbols: views.symbols().flatMap((symbol) => {
        const view = views.get(symbol)
        return view === undefined ? [] : [summariseSymbol(view)]
      }),
    }),
  )

  app.get(
    '/predictions/:symbol',
    {
      schema: {
        summary: "The next bar's prediction: point, 80 % and 95 % intervals, model and data as of",
        tags: ['predictions'],
        params: symbolParams,
        querystring: noQuery,
        response: { 200: predictionResponse, ...notFound },
      },
    },
    (request) => {
      const view = viewOrThrow(views, request.params.symbol)
      const body = latestPredictionBody(view)
      if (body === undefined)
        throw new ApiError('no_prediction', `no prediction for ${view.symbol} yet`, { parameter: 'symbol' })
      return body
    },
  )

  app.get(
    '/scores/:symbol',
    {
      schema: {
        summary: 'Prequential scores of every model against the naive forecast, and which model is served',
        tags: ['models'],
        params: symbolParams,
        querystring: noQuery,
        response: { 200: scoresResponse, ...notFound },
      },
    },
    (request) => {
      const view = viewOrThrow(views, request.params.symbol)
      if (view.model === undefined)
        throw new ApiError('no_model', `no model for ${view.symbol} yet`, { parameter: 'symbol' })
      return scoresOf(view.model)
    },
  )
  return Promise.resolve()
}
