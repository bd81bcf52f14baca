import type { ExchangeCalendar } from '../schedule/exchange-calendars.ts'
import { sessionAt } from '../schedule/session-at.ts'
import { barStart } from './bar-start.ts'

export interface BarSpan {
  readonly start: number
  readonly end: number
}

/**
 * The intraday bar of the session grid that an instant belongs to: bars start at the session's
 * open and every `intervalMs` after it, and the last one ends at the close, so it may be shorter
 * (US one-hour bars 09:30, 10:30, …, 15:30–16:00; PSE 09:30, 10:30, 11:30–12:00, 13:00, 14:00).
 * An instant outside every session (after a close, over the lunch break, a night or a weekend)
 * belongs to the last bar of the latest session opened before it: a closing print stamped at the
 * close, or a quote restating that close before the next open. With no session within a year
 * before it, the plain UTC grid is used.
 */
export function sessionBar(calendar: ExchangeCalendar, atMs: number, intervalMs: number): BarSpan {
  const session = sessionAt(calendar, atMs)
  if (session === null) {
    const start = barStart(atMs, intervalMs, 0)
    return { start, end: start + intervalMs }
  }
  const { openMs, closeMs } = session
  const within = Math.min(atMs, closeMs - 1) - openMs
  const start = openMs + Math.floor(within / intervalMs) * intervalMs
  return { start, end: Math.min(start + intervalMs, closeMs) }
}
