import type { Interval } from '../../core/contracts/primitives.ts'
import type { ProviderName } from './providers/provider.ts'

const DAY_MS = 86_400_000

/** What one history request of a provider may span, and how far back its bars of an interval go. */
export interface HistoryLimit {
  /** The longest range one request may cover. */
  readonly maxSpanMs: number
  /** Bars older than this (before now) are not served at all. */
  readonly maxAgeMs?: number
}

const UNLIMITED: HistoryLimit = { maxSpanMs: Number.POSITIVE_INFINITY }
const everyInterval = (limit: HistoryLimit): Record<Interval, HistoryLimit> => ({
  '1m': limit,
  '5m': limit,
  '15m': limit,
  '30m': limit,
  '1h': limit,
  '1d': limit,
})

/**
 * Each provider's history limits, the one place a backfill's windows come from. Yahoo's chart API
 * serves 1m bars for the last 30 days, at most 7 days a request; 5–30m for the last 60 days; 1h for
 * the last 730 (as its error messages and yfinance say). PSE (phisix) answers one day a request, so
 * its windows are days and a backfill's checkpoint advances a day at a time. Stooq, Alpha Vantage
 * and the replay return a whole daily range in one request.
 */
export const HISTORY_LIMITS: Readonly<Record<ProviderName, Readonly<Record<Interval, HistoryLimit>>>> = {
  yahoo: {
    '1m': { maxSpanMs: 7 * DAY_MS, maxAgeMs: 30 * DAY_MS },
    '5m': { maxSpanMs: 60 * DAY_MS, maxAgeMs: 60 * DAY_MS },
    '15m': { maxSpanMs: 60 * DAY_MS, maxAgeMs: 60 * DAY_MS },
    '30m': { maxSpanMs: 60 * DAY_MS, maxAgeMs: 60 * DAY_MS },
    '1h': { maxSpanMs: 730 * DAY_MS, maxAgeMs: 730 * DAY_MS },
    '1d': { maxSpanMs: 36_500 * DAY_MS },
  },
  pse: everyInterval({ maxSpanMs: DAY_MS }),
  stooq: everyInterval(UNLIMITED),
  alphavantage: everyInterval(UNLIMITED),
  replay: everyInterval(UNLIMITED),
}
