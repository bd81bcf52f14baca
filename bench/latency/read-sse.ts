import { request, type IncomingMessage } from 'node:http'

export interface ServerSentEvent {
  readonly event: string
  readonly data: string
}

export interface SseSubscription {
  close(): void
}

/** Subscribes to a text/event-stream URL and calls `onEvent` for every event as it arrives. */
export function readServerSentEvents(
  url: string,
  onEvent: (event: ServerSentEvent) => void,
): Promise<SseSubscription> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream' } }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        reject(new Error(`${url} answered ${response.statusCode}`))
        response.resume()
        return
      }
      let buffer = ''
      response.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          let event = 'message'
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7)
            else if (line.startsWith('data: ')) data.push(line.slice(6))
          }
          if (data.length > 0) onEvent({ event, data: data.join('\n') })
        }
      })
      response.on('error', () => undefined)
      resolve({ close: () => req.destroy() })
    })
    req.once('error', reject)
    req.end()
  })
}
