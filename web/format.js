/** Formatting of prices, changes, times and ages for the dashboard. */

const DAY_MS = 86_400_000

export function formatPrice(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const digits = Math.abs(value) >= 1000 ? 2 : Math.abs(value) >= 1 ? 2 : 4
  return value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function formatChange(from, to) {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from === 0) return '—'
  const percent = ((to - from) / from) * 100
  if (Math.abs(percent) < 0.005) return '0.00 %'
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(2)} %`
}

export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function formatPercent(value, digits = 1) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return `${(value * 100).toFixed(digits)} %`
}

/** A bar's time: the date for daily bars, date and time (UTC) for intraday ones. */
export function formatBarTime(ms, interval) {
  if (ms === null || ms === undefined) return '—'
  const date = new Date(ms)
  const day = date.toLocaleDateString(undefined, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  })
  if (interval === '1d') return day
  return `${day} ${date.toLocaleTimeString(undefined, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' })} UTC`
}

export function formatAge(ms, nowMs) {
  if (!ms) return 'never'
  const seconds = Math.max(0, Math.round((nowMs - ms) / 1000))
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`
  if (seconds < DAY_MS / 1000) return `${Math.round(seconds / 3600)} h ago`
  return `${Math.round(seconds / 86400)} d ago`
}

/** A compact bar time: 11 May 2018 (without the year when `isShort`), or 11 May 14:30 for intraday bars. */
export function formatShortTime(ms, interval, { isShort = false } = {}) {
  const date = new Date(ms)
  if (interval === '1d') {
    const year = isShort ? undefined : 'numeric'
    return date.toLocaleDateString(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short', year })
  }
  return date.toLocaleString(undefined, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })
}
