import type { ServiceProcess } from './services.ts'

/** What a service started with `nodeOptions: INSPECT` needs: its inspector, on a free local port. */
export const INSPECT = ['--inspect=127.0.0.1:0'] as const

const INSPECTOR_URL = /Debugger listening on (ws:\/\/\S+)/

/**
 * The live heap of a running service, in bytes: a full garbage collection through its inspector
 * (Chrome DevTools Protocol, `HeapProfiler.collectGarbage`), then `Runtime.getHeapUsage`. Unlike a
 * sampled `heapUsed`, which moves with when the collector last ran, it is the same for the same
 * live set, so a test can compare it early and late in a run and fail only on growth.
 */
export async function postGcHeapBytes(service: ServiceProcess, timeoutMs = 30_000): Promise<number> {
  const url = INSPECTOR_URL.exec(service.output)?.[1]
  if (url === undefined)
    throw new Error(`${service.name} has no inspector: start it with nodeOptions INSPECT`)
  const socket = new WebSocket(url)
  const replies = new Map<number, (result: Record<string, unknown>) => void>()
  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as { id?: number; result?: Record<string, unknown> }
    if (message.id !== undefined) replies.get(message.id)?.(message.result ?? {})
  })
  let nextId = 1
  const call = (method: string): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const id = nextId++
      replies.set(id, resolve)
      socket.send(JSON.stringify({ id, method }))
    })
  const timeout = AbortSignal.timeout(timeoutMs)
  try {
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true })
      socket.addEventListener(
        'error',
        () => reject(new Error(`cannot reach the inspector of ${service.name}`)),
        {
          once: true,
        },
      )
    })
    const usage = await Promise.race([
      call('HeapProfiler.collectGarbage').then(() => call('Runtime.getHeapUsage')),
      new Promise<never>((_, reject) =>
        timeout.addEventListener('abort', () =>
          reject(new Error(`${service.name}: no heap usage in ${timeoutMs} ms`)),
        ),
      ),
    ])
    const used = usage['usedSize']
    if (typeof used !== 'number')
      throw new Error(`${service.name}: Runtime.getHeapUsage gave ${JSON.stringify(usage)}`)
    return used
  } finally {
    socket.close()
  }
}
