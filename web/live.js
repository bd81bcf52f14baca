/* global EventSource, setTimeout */
import { api } from './api.js'

const RETRY_MS = 3000

/**
 * Follows the server-sent events of every symbol. The browser reconnects by itself after a network
 * error, but gives up on an error status (a restarting service answers 503), so a closed stream is
 * reopened here. After any reconnection `onResync` reloads what may have been missed meanwhile.
 */
export function connectLive({ onBar, onPrediction, onModel, onStatus, onResync }) {
  let hasFailed = false
  const open = () => {
    const stream = api.stream()
    stream.addEventListener('open', () => {
      onStatus('live', 'Live')
      if (hasFailed) onResync()
      hasFailed = false
    })
    stream.addEventListener('error', () => {
      hasFailed = true
      onStatus('connecting', 'Reconnecting…')
      if (stream.readyState === EventSource.CLOSED) setTimeout(open, RETRY_MS)
    })
    const on = (name, handler) => stream.addEventListener(name, (event) => handler(JSON.parse(event.data)))
    on('bar', onBar)
    on('prediction', onPrediction)
    on('model', onModel)
  }
  onStatus('connecting', 'Connecting…')
  open()
}
