import { PassThrough } from 'node:stream'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ViewChange } from '../../views/create-views.ts'
import { viewOrThrow, type ApiDeps } from '../api-deps.ts'
import { errorResponse, streamQuery } from '../api-schemas.ts'
import { historyPoints } from '../../present/history-points.ts'
import { scoresOf } from '../../present/scores-of.ts'
import { toPredictionBody } from '../../present/to-prediction-body.ts'

export interface StreamOptions extends ApiDeps {
  readonly heartbeatMs: number
  readonly onClientsChanged?: (count: number) => void
}

/** A client this far behind is dropped rather than buffered without end; EventSource reconnects. */
const MAX_BUFFERED_BYTES = 1 << 20

const changeSymbol = (change: ViewChange): string =>
  change.kind === 'bar'
    ? change.bar.symbol
    : change.kind === 'prediction'
      ? change.prediction.symbol
      : change.snapshot.symbol

/**
 * Server-sent events of the views' changes: `bar` (the bar with the prediction made for it and its
 * error), `prediction` (the next bar's new prediction) and `model` (the scores after an update).
 */
export const streamRoute: FastifyPluginAsyncZod<StreamOptions> = (
  app,
  { views, heartbeatMs, onClientsChanged },
) => {
  const open = new Set<PassThrough>()

  const encode = (change: ViewChange): string | undefined => {
    const view = views.get(changeSymbol(change))
    if (view === undefined) return undefined
    if (change.kind === 'bar') {
      const [point] = historyPoints(view, change.bar.start, change.bar.start, 1)
      return point === undefined
        ? undefined
        : `event: bar\ndata: ${JSON.stringify({ symbol: view.symbol, interval: view.interval, point })}\n\n`
    }
    if (change.kind === 'prediction')
      return `event: prediction\ndata: ${JSON.stringify(toPredictionBody(change.prediction))}\n\n`
    return `event: model\ndata: ${JSON.stringify(scoresOf(change.snapshot))}\n\n`
  }

  app.addHook('preClose', (done) => {
    for (const stream of open) stream.end()
    done()
  })

  app.get(
    '/stream',
    {
      schema: {
        summary: 'Server-sent events of new bars, predictions and model scores',
        description:
          'Events: `bar` {symbol, interval, point: HistoryPoint}, `prediction` Prediction, `model` Scores.',
        tags: ['stream'],
        querystring: streamQuery,
        produces: ['text/event-stream'],
        response: {
          200: z
            .unknown()
            .describe('text/event-stream: `bar`, `prediction` and `model` events, `: keep-alive` comments'),
          400: errorResponse,
          404: errorResponse,
          429: errorResponse,
          503: errorResponse,
        },
      },
    },
    (request, reply) => {
      const only = request.query.symbol
      if (only !== undefined) viewOrThrow(views, only)
      const stream = new PassThrough()
      const send = (text: string): void => {
        if (stream.writableLength > MAX_BUFFERED_BYTES) stream.end()
        else stream.write(text)
      }
      const unsubscribe = views.subscribe((change) => {
        if (only !== undefined && changeSymbol(change) !== only) return
        const text = encode(change)
        if (text !== undefined) send(text)
      })
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), heartbeatMs)
      const stop = (): void => {
        clearInterval(heartbeat)
        unsubscribe()
        if (open.delete(stream)) onClientsChanged?.(open.size)
        stream.end()
      }
      request.raw.once('close', stop)
      stream.once('close', stop)
      open.add(stream)
      onClientsChanged?.(open.size)
      stream.write(`retry: 3000\n: connected\n\n`)
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream)
    },
  )
  return Promise.resolve()
}
