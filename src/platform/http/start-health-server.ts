import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export interface HealthServer {
  readonly port: number
  setReady(isReady: boolean): void
  close(): Promise<void>
}

/** /healthz (the process is alive), /readyz (state restored, consuming) and Prometheus /metrics. */
export async function startHealthServer(options: {
  port: number
  /** Where to listen: 127.0.0.1 unless the probes or scrapers come from elsewhere. */
  host: string
  registry: Registry
}): Promise<HealthServer> {
  let isReady = false
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
    } else if (path === '/readyz') {
      response
        .writeHead(isReady ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: isReady ? 'ready' : 'starting' }))
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      )
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, resolve)
  })
  return {
    port: (server.address() as AddressInfo).port,
    setReady: (value) => {
      isReady = value
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
