/* global document */
import { formatAge, formatBarTime, formatChange, formatPrice, formatShortTime } from './format.js'

const byId = (id) => document.getElementById(id)
const setText = (id, text) => {
  const element = byId(id)
  if (element.textContent !== text) element.textContent = text
}

/** The headline of the selected symbol: last close, the next bar's forecast and bands, model and freshness. */
export function renderStats(summary, pending, nowMs) {
  const interval = summary?.interval ?? '1d'
  const close = summary?.lastBar?.close
  setText('symbol-title', summary?.symbol ?? '—')
  setText('interval', interval)
  setText('last-close', formatPrice(close))
  setText('last-date', formatBarTime(summary?.lastBar?.start, interval))
  if (pending) {
    const direction = Math.sign(Math.round((pending.point / pending.lastClose - 1) * 1e5))
    setText('forecast', formatPrice(pending.point))
    setText(
      'forecast-change',
      `${['▼', '■', '▲'][direction + 1]} ${formatChange(pending.lastClose, pending.point)}`,
    )
    byId('forecast-change').className = `change ${['down', 'flat', 'up'][direction + 1]}`
    setText('forecast-for', `for ${formatBarTime(pending.forBarStart, interval)}`)
    setText(
      'band80',
      `${formatPrice(pending.intervals.p80.lower)} – ${formatPrice(pending.intervals.p80.upper)}`,
    )
    setText(
      'band95',
      `${formatPrice(pending.intervals.p95.lower)} – ${formatPrice(pending.intervals.p95.upper)}`,
    )
  } else {
    for (const id of ['forecast', 'forecast-change', 'band80', 'band95']) setText(id, '—')
    setText('forecast-for', 'no prediction yet')
  }
  const model = summary?.model
  setText('model', model ? model.served : '—')
  setText('model-version', model ? `version ${model.version.toLocaleString()}` : 'no model yet')
  renderFreshness(summary, nowMs)
}

/** Data as of (the newest bar, event time) and when it arrived (wall clock), stale after five minutes. */
export function renderFreshness(summary, nowMs) {
  setText('freshness', summary?.dataAsOf ? formatShortTime(summary.dataAsOf, summary.interval) : '—')
  setText('received', `updated ${formatAge(summary?.receivedAt, nowMs)}`)
  byId('received').classList.toggle('stale', !summary || nowMs - summary.receivedAt > 5 * 60_000)
}
