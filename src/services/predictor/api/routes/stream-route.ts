import type { ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { PassThrough } from 'node:stream'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ViewChange } from '../../views/create-views.ts'
import { viewOrThrow, type ApiDeps } from '../api-deps.ts'
import { ApiError } from '../api-error.ts'
import { errorResponse, streamQuery } from '../api-schemas.ts'
import { historyPoints } from '../../present/history-points.ts'
import { scoresOf } from '../../present/scores-of.ts'
import { toPredictionBody } from '../../present/to-prediction-body.ts'

export interface StreamOptions extends ApiDeps {
  readonly heartbeatMs: number
  /** Open streams past which a new one is refused with 429. */
  readonly maxClients: number
  /** Bytes a client may leave unread in this process before it is dropped; EventSource reconnects. */
  readonly clientBufferBytes: number
  readonly onClientsChanged?: (count: number) => void
  /** A client was dropped for leaving more than `clientBufferBytes` unread. */
  readonly onClientDropped?: () => void
  /** A stream was refused: `maxClients` were open. */
  readonly onClientRefused?: () => void
}

interface StreamClient {
  /** Only this symbol's events, when the client asked for one. */
  readonly only: string | undefined
  readonly stream: PassThrough
  readonly response: ServerResponse
  /** Forgets the client (no more events, heartbeats or counts) and ends its stream. */
  readonly stop: () => void
}

const changeSymbol = (change: ViewChange): string =>
  change.kind === 'bar'
    ? change.bar.symbol
    : change.kind === 'prediction'
      ? change.prediction.symbol
      : change.snapshot.symbol

const HEARTBEAT = Buffer.from(': keep-alive\n\n')

/** What the client has not read yet and this process holds: the stream's buffers, the response's and its socket's. */
const bufferedBytes = ({ stream, response }: StreamClient): number =>
  stream.writableLength + stream.readableLength + response.writableLength

/**
 * Server-sent events of the views' changes: `bar` (the bar with the prediction made for it and its
 * error), `prediction` (the next bar's new prediction) and `model` (the scores after an update).
 * Each change is encoded once for all clients; a client that lets `clientBufferBytes` pile up
 * unread is dropped (its connection reset, so nothing more is held for it).
 */
export const streamRoute: FastifyPluginAsyncZod<StreamOptions> = (app, options) => {
  const { views, heartbeatMs, maxClients, clientBufferBytes } = options
  const clients = new Set<StreamClient>()

  const encode = (change: ViewChange): Buffer | undefined => {
    const view = views.get(changeSymbol(change))
    if (view === undefined) return undefined
    if (change.kind === 'bar') {
      const [point] = historyPoints(view, change.bar.start, change.bar.start, 1)
      return point === undefined
        ? undefined
        : Buffer.from(
            `event: bar\ndata: ${JSON.stringify({ symbol: view.symbol, interval: view.interval, point })}\n\n`,
          )
    }
    if (change.kind === 'prediction')
      return Buffer.from(
        `event: prediction\ndata: ${JSON.stringify(toPredictionBody(change.prediction))}\n\n`,
      )
    return Buffer.from(`event: model\ndata: ${JSON.stringify(scoresOf(change.snapshot))}\n\n`)
  }

  const send = (client: StreamClient, bytes: Buffer): void => {
    if (bufferedBytes(client) + bytes.length <= clientBufferBytes) {
      client.stream.write(bytes)
      return
    }
    options.onClientDropped?.()
    client.stop()
    // A reset, not a close: the kernel discards what it still holds for the client at once,
    // instead of keeping it (up to the send buffer, megabytes) for a peer that does not read.
    const { socket } = client.response
    if (socket instanceof Socket) socket.resetAndDestroy()
    else client.response.destroy()
    client.stream.destroy()
  }

  const unsubscribe = views.subscribe((change) => {
    if (clients.size === 0) return
    const symbol = changeSymbol(change)
    let bytes: Buffer | undefined
    for (const client of clients) {
      if (client.only !== undefined && client.only !== symbol) continue
      bytes ??= encode(change)
      if (bytes === undefined) return
      send(client, bytes)
    }
  })

  app.addHook('preClose', (done) => {
    for (const client of clients) client.stream.end()
    done()
  })
  app.addHook('onClose', (_instance, done) => {
    unsubscribe()
    done()
  })

  app.get(
    '/stream',
    {
      schema: {
        summary: 'Server-sent events of new bars, predictions and model scores',
        description:
          'Events: `bar` {symbol, interval, point: HistoryPoint}, `prediction` Prediction, `model` Scores. ' +
          'At most a configured number of streams are open at once (429 `too_many_streams` past it); ' +
          'a client that does not read is dropped once a configured number of bytes wait for it.',
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
      if (clients.size >= maxClients) {
        options.onClientRefused?.()
        throw new ApiError(
          'too_many_streams',
          `${String(maxClients)} streams are open, the most this service serves at once: retry later`,
          { headers: { 'retry-after': '10' } },
        )
      }
      const stream = new PassThrough()
      const stop = (): void => {
        clearInterval(heartbeat)
        if (clients.delete(client)) options.onClientsChanged?.(clients.size)
        stream.end()
      }
      const client: StreamClient = { only, stream, response: reply.raw, stop }
      const heartbeat = setInterval(() => {
        if (clients.has(client)) send(client, HEARTBEAT)
      }, heartbeatMs)
      request.raw.once('close', stop)
      reply.raw.once('close', stop)
      stream.once('close', stop)
      clients.add(client)
      options.onClientsChanged?.(clients.size)
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
