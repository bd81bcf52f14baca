import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ApiError } from '../api-error.ts'
import { viewOrThrow, type ApiDeps } from '../api-deps.ts'
import { errorResponse, noQuery, predictionBody, predictRequestBody } from '../api-schemas.ts'
import { toPredictionBody } from '../../present/to-prediction-body.ts'

/** On-demand prediction: a feature row in, the symbol's current model's prediction out. */
export const predictRoute: FastifyPluginAsyncZod<ApiDeps> = (app, { views, predict }) => {
  app.post(
    '/predict',
    {
      schema: {
        summary: "Predict the bar after a given feature row with the symbol's current (served) model",
        tags: ['models'],
        querystring: noQuery,
        body: predictRequestBody,
        response: {
          200: predictionBody,
          400: errorResponse,
          404: errorResponse,
          413: errorResponse,
          415: errorResponse,
          422: errorResponse,
          429: errorResponse,
          503: errorResponse,
        },
      },
    },
    (request) => {
      const row = request.body
      const view = viewOrThrow(views, row.symbol, 'body.symbol')
      if (view.model === undefined)
        throw new ApiError('no_model', `no model for ${row.symbol} yet`, { parameter: 'body.symbol' })
      const result = predict(view.model, row)
      if (!result.ok) throw new ApiError('unprocessable', result.error, { parameter: 'body' })
      return toPredictionBody(result.value)
    },
  )
  return Promise.resolve()
}
