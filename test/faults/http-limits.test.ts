// Issue 19 item 4: the prediction service's HTTP edge under clients that hold resources: 1,000
// live-stream clients that never read, request bodies sent a byte at a time, more connections than
// the limit. The server runs in a process of its own (test/support/stream-server.ts), so its heap
// is its own; every assertion is on a count or a bound (the one on time: no 408 before the timeout).
import assert from 'node:assert/strict'
import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpLimits } from '../../src/services/predictor/api/http-limits.ts'
import { DEFAULT_HTTP_LIMITS } from '../../src/services/predictor/api/http-limits.ts'
import type { StreamServerMeasure, StreamServerMessage, StreamServerAsk } from '../support/stream-server.ts'

const MIB = 1024 * 1024
const POD_LIMIT_BYTES = 512 * MIB

interface StreamServer {
  readonly port: number
  publish(events: number): Promise<number>
  measure(): Promise<StreamServerMeasure>
  /** The server's metrics, by series name with its labels. */
  metrics(): Promise<Map<string, number>>
  stop(): Promise<void>
}

type Pending = (message: StreamServerMessage) => void

async function startStreamServer(limits: Partial<HttpLimits>): Promise<StreamServer> {
  const child: ChildProcess = fork(
    new URL('../support/stream-server.ts', import.meta.url),
    [JSON.stringify(limits)],
    {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  const pending = new Map<number, Pending>()
  let nextId = 0
  const listening = Promise.withResolvers<number>()
  child.on('message', (message: StreamServerMessage) => {
    if (message.kind === 'listening') listening.resolve(message.port)
    else pending.get(message.id)?.(message)
  })
  child.once('exit', (code) => listening.reject(new Error(`the stream server exited with ${String(code)}`)))
  const port = await listening.promise
  const ask = (request: StreamServerAsk): Promise<StreamServerMessage> => {
    const id = (nextId += 1)
    const answered = Promise.withResolvers<StreamServerMessage>()
    pending.set(id, answered.resolve)
    child.send({ ...request, id })
    return answered.promise
  }
  return {
    port,
    async publish(events) {
      const answer = await ask({ kind: 'publish', events })
      assert.equal(answer.kind, 'published')
      return answer.heapUsedBytes
    },
    async measure() {
      const answer = await ask({ kind: 'measure' })
      assert.equal(answer.kind, 'measured')
      return answer
    },
    async metrics() {
      const text = await (
        await fetch(`http://127.0.0.1:${String(port)}/metrics`, { headers: { connection: 'close' } })
      ).text()
      const series = new Map<string, number>()
      for (const line of text.split('\n')) {
        const match = /^(\S+) (\S+)$/.exec(line)
        if (match !== null && !line.startsWith('#')) series.set(match[1]!, Number(match[2]))
      }
      return series
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.disconnect()
      await Promise.race([exited, sleep(5000)])
      child.kill('SIGKILL')
    },
  }
}

/** Resolves when `check` returns true, polling every 100 ms; fails after `timeoutMs` saying `what`. */
async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

const mib = (bytes: number): string => (bytes / MIB).toFixed(1)

/** The kernel's TCP buffer memory, all sockets of the host (Linux), in bytes; for the diagnostics only. */
function kernelTcpBytes(): number {
  try {
    const pages = /^TCP:.* mem (\d+)$/m.exec(readFileSync('/proc/net/sockstat', 'utf8'))?.[1]
    return pages === undefined ? Number.NaN : Number(pages) * 4096
  } catch {
    return Number.NaN
  }
}

interface RawClient {
  readonly socket: Socket
  /** What was received, as text (the first 4 KiB or so). */
  received(): string
  /** Bytes received. */
  bytes(): number
  readonly closed: Promise<number>
}

/** A TCP client that sends `head` at once; paused, it reads nothing until resumed. */
function rawClient(port: number, head: string, options: { isPaused?: boolean } = {}): RawClient {
  const socket = connect(port, '127.0.0.1')
  let text = ''
  let bytes = 0
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    if (text.length < 4096) text += String(chunk)
  })
  socket.on('error', () => undefined)
  if (options.isPaused === true) socket.pause()
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())))
  socket.write(head)
  return { socket, received: () => text, bytes: () => bytes, closed }
}

const servers: StreamServer[] = []
after(async () => {
  for (const server of servers) await server.stop()
})

describe('the HTTP edge under clients that hold resources', () => {
  test(
    '1,000 stream clients that never read are dropped at their byte budget, readers are not; the heap returns',
    { timeout: 120_000 },
    async (t) => {
      // The default budget; the stream cap raised from its default 1,000 so that the readers fit.
      const server = await startStreamServer({ streamMaxClients: 1100 })
      servers.push(server)
      const slowCount = 1000
      const readerCount = 10
      const streamHead = 'GET /api/v1/stream HTTP/1.1\r\nhost: x\r\n\r\n'
      const before = await server.measure()
      const slow = Array.from({ length: slowCount }, () =>
        rawClient(server.port, streamHead, { isPaused: true }),
      )
      const readers = Array.from({ length: readerCount }, () => rawClient(server.port, streamHead))
      await waitFor(
        'the open streams',
        async () =>
          (await server.metrics()).get('quotecast_predictor_stream_clients') === slowCount + readerCount,
      )
      const connected = await server.measure()
      let peakHeapBytes = 0
      const kernelBeforeBytes = kernelTcpBytes()
      let kernelPeakBytes = kernelBeforeBytes
      let events = 0
      let dropped = 0
      const startedMs = Date.now()
      while (dropped < slowCount && events < 20_000) {
        peakHeapBytes = Math.max(peakHeapBytes, await server.publish(100))
        events += 100
        kernelPeakBytes = Math.max(kernelPeakBytes, kernelTcpBytes())
        dropped = (await server.metrics()).get('quotecast_predictor_stream_clients_dropped_total') ?? 0
      }
      const publishMs = Date.now() - startedMs
      await waitFor(
        'the server to hold only the readers',
        async () => (await server.measure()).connections === readerCount,
      )
      const settled = await server.measure()
      const kernelAfterBytes = kernelTcpBytes()
      const metrics = await server.metrics()
      for (const client of slow) client.socket.resume()
      await Promise.all(slow.map((client) => client.closed))
      const late = rawClient(server.port, streamHead)
      await waitFor('a new stream', () => late.received().startsWith('HTTP/1.1 200 OK\r\n'))
      t.diagnostic(
        `heap and buffers after GC: ${mib(before.heapUsedBytes)} MiB before, ${mib(connected.heapUsedBytes)} MiB with ` +
          `${String(slowCount + readerCount)} streams open, peak ${mib(peakHeapBytes)} MiB (sampled after each 100 of ` +
          `${String(events)} events, sent in ${String(publishMs)} ms), ${mib(settled.heapUsedBytes)} MiB after the drops; ` +
          `RSS ${mib(before.rssBytes)} → ${mib(connected.rssBytes)} → ${mib(settled.rssBytes)} MiB; ` +
          `the host's kernel TCP buffers ${mib(kernelBeforeBytes)} → ${mib(kernelPeakBytes)} MiB at most → ` +
          `${mib(kernelAfterBytes)} MiB after the drops (the slow clients still paused); ` +
          `dropped ${String(dropped)}; each reader received ${String(Math.min(...readers.map((r) => r.bytes())))} bytes or more`,
      )
      assert.equal(metrics.get('quotecast_predictor_stream_clients_dropped_total'), slowCount)
      assert.equal(metrics.get('quotecast_predictor_stream_clients_refused_total'), 0)
      assert.equal(metrics.get('quotecast_predictor_stream_clients'), readerCount)
      for (const reader of readers) assert.ok(!reader.socket.destroyed && reader.bytes() > 128 * 1024)
      assert.ok(
        settled.heapUsedBytes - before.heapUsedBytes < 16 * MIB,
        `the heap after the drops is ${mib(settled.heapUsedBytes - before.heapUsedBytes)} MiB above the start`,
      )
      const budgetBytes = slowCount * DEFAULT_HTTP_LIMITS.streamClientBufferBytes
      assert.ok(peakHeapBytes - before.heapUsedBytes < budgetBytes, `peak heap ${mib(peakHeapBytes)} MiB`)
      assert.ok(settled.rssBytes < POD_LIMIT_BYTES, `RSS ${mib(settled.rssBytes)} MiB`)
      for (const client of [...readers, late]) client.socket.destroy()
    },
  )

  test(
    'request bodies sent a byte at a time are answered 408 at the request timeout and closed',
    { timeout: 60_000 },
    async (t) => {
      const requestTimeoutMs = 2000
      const server = await startStreamServer({ requestTimeoutMs })
      servers.push(server)
      const senders = 50
      const startedMs = Date.now()
      const clients = Array.from({ length: senders }, () =>
        rawClient(
          server.port,
          'POST /api/v1/predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{',
        ),
      )
      const trickle = setInterval(() => {
        for (const client of clients) if (!client.socket.destroyed) client.socket.write(' ')
      }, 250)
      const closedAt = await Promise.all(clients.map((client) => client.closed))
      clearInterval(trickle)
      const elapsed = closedAt.map((ms) => ms - startedMs).sort((a, b) => a - b)
      t.diagnostic(
        `${String(senders)} slow-body senders closed after ${String(elapsed[0])}–${String(elapsed.at(-1))} ms (request timeout ${String(requestTimeoutMs)} ms)`,
      )
      for (const client of clients) {
        assert.match(client.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/)
        assert.ok(
          client
            .received()
            .endsWith(
              '{"statusCode":408,"error":"request_timeout","message":"the request did not arrive in time"}',
            ),
        )
      }
      assert.ok(elapsed[0]! >= requestTimeoutMs, `a sender was closed after ${String(elapsed[0])} ms`)
      const metrics = await server.metrics()
      assert.equal(metrics.get('quotecast_http_client_errors_total{kind="timeout"}'), senders)
      assert.equal(
        metrics.get('quotecast_http_requests_total{method="POST",route="/api/v1/predict",status="200"}'),
        undefined,
      )
    },
  )

  test('connections past the limit are closed on arrival and counted', { timeout: 60_000 }, async () => {
    const server = await startStreamServer({ maxConnections: 20 })
    servers.push(server)
    const held = Array.from({ length: 20 }, () => rawClient(server.port, ''))
    await waitFor('20 open connections', async () => (await server.measure()).connections === 20)
    const extra = Array.from({ length: 10 }, () =>
      rawClient(server.port, 'GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n'),
    )
    await Promise.all(extra.map((client) => client.closed))
    for (const client of extra)
      assert.equal(client.received(), '', 'a connection past the limit was answered')
    for (const client of held.slice(0, 5)) client.socket.destroy()
    await waitFor('15 open connections', async () => (await server.measure()).connections === 15)
    const metrics = await server.metrics()
    assert.equal(metrics.get('quotecast_http_connections_dropped_total'), 10)
    for (const client of held) client.socket.destroy()
  })
})
