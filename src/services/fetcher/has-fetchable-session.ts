import { INTERVAL_MS, type Interval } from '../../core/contracts/primitives.ts'
import { exchangeOfSymbol } from '../../core/providers/exchange-of-symbol.ts'
import { EXCHANGE_CALENDARS } from '../../core/schedule/exchange-calendars.ts'
import { tradingSessions } from '../../core/schedule/trading-sessions.ts'
import type { TimeRange } from './providers/provider.ts'

const DAY_MS = 86_400_000
const CHUNK_DAYS = 28

/**
 * Whether the range holds a trading session of the symbol's exchange with a bar complete by now:
 * a range of weekends, holidays, closed hours or a bar still open needs no request. A daily bar is
 * complete once its trading date has ended (bars start at 00:00 UTC of that date).
 */
export function hasFetchableSession(
  symbol: string,
  range: TimeRange,
  interval: Interval,
  nowMs: number,
): boolean {
  const calendar = EXCHANGE_CALENDARS[exchangeOfSymbol(symbol)]
  for (let cursor = range.fromMs; cursor <= range.toMs; cursor += CHUNK_DAYS * DAY_MS) {
    for (const session of tradingSessions(calendar, cursor, CHUNK_DAYS + 2)) {
      if (interval === '1d') {
        const barStart = Date.parse(`${session.date}T00:00:00Z`)
        if (barStart >= range.fromMs && barStart <= range.toMs && barStart + DAY_MS <= nowMs) return true
      } else if (session.openMs <= range.toMs && session.closeMs > range.fromMs) {
        const firstBarEnd = Math.max(session.openMs, range.fromMs) + INTERVAL_MS[interval]
        if (Math.min(firstBarEnd, session.closeMs) <= nowMs) return true
      }
      if (session.openMs > range.toMs) return false
    }
  }
  return false
}
