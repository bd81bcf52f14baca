/* global fetch, EventSource */
/** The prediction service's API, as the dashboard uses it. */

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`)
    this.status = status
    this.code = body?.error ?? 'unknown'
  }
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } })
  const body = await response.json().catch(() => null)
  if (!response.ok) throw new ApiError(response.status, body)
  return body
}

const symbolPath = (symbol) => encodeURIComponent(symbol)

export const api = {
  symbols: () => getJson('/api/v1/symbols'),
  history: (symbol, limit) => getJson(`/api/v1/history/${symbolPath(symbol)}?limit=${limit}`),
  scores: (symbol) => getJson(`/api/v1/scores/${symbolPath(symbol)}`),
  /** Server-sent events of every symbol; the browser reconnects by itself. */
  stream: () => new EventSource('/api/v1/stream'),
}
