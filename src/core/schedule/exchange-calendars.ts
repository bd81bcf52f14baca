import { getHolidays } from 'nyse-holidays'
import { nyseEarlyCloseMinute } from './nyse-early-close.ts'
import { isPseHoliday, PSE_HOLIDAY_YEARS } from './pse-holidays.ts'

/** A trading session as wall-clock minutes after local midnight, e.g. 9:30 → 570. */
export interface SessionWindow {
  readonly openMinute: number
  readonly closeMinute: number
}

export interface ExchangeCalendar {
  readonly id: ExchangeId
  readonly timeZone: string
  readonly currency: string
  /** Continuous-trading sessions of a regular day, in order (two when the exchange breaks for lunch). */
  readonly sessions: readonly SessionWindow[]
  /** Whether a local date (YYYY-MM-DD) is a full-day holiday, as far as the calendar knows. */
  readonly isHoliday: (localDate: string) => boolean
  /**
   * The early close of a local date, in minutes after local midnight, or undefined for a regular
   * day; sessions that day end there (one that would begin after it is dropped). Absent: no early closes.
   */
  readonly earlyCloseMinute?: (localDate: string) => number | undefined
  /**
   * The years whose holidays the calendar knows, inclusive; outside them every weekday is a
   * trading day. Absent: every year (a rule-based calendar).
   */
  readonly holidayYears?: { readonly first: number; readonly last: number }
}

/**
 * What `caches` holds for `calendar`, made by `create` on first use: the schedule's caches are
 * kept per calendar object and dropped with it.
 */
export function perCalendar<V>(
  caches: WeakMap<ExchangeCalendar, V>,
  calendar: ExchangeCalendar,
  create: () => V,
): V {
  let cached = caches.get(calendar)
  if (cached === undefined) {
    cached = create()
    caches.set(calendar, cached)
  }
  return cached
}

export const EXCHANGE_IDS = ['US', 'PSE'] as const
export type ExchangeId = (typeof EXCHANGE_IDS)[number]

const nyseHolidays = new Map<number, ReadonlySet<string>>()

function isNyseHoliday(localDate: string): boolean {
  const year = Number(localDate.slice(0, 4))
  let dates = nyseHolidays.get(year)
  if (dates === undefined) {
    dates = new Set(getHolidays(year).map((holiday) => holiday.dateString))
    nyseHolidays.set(year, dates)
  }
  return dates.has(localDate)
}

const at = (hour: number, minute: number): number => hour * 60 + minute

/**
 * US equities trade 9:30–16:00 New York time on NYSE business days (holidays from `nyse-holidays`,
 * which follows NYSE's rules), closing at 13:00 on NYSE's early-closing days (nyse-early-close.ts).
 * The Philippine Stock Exchange trades 9:30–12:00 and 13:00–15:00 Manila time (the afternoon
 * includes the closing auction); its holidays are proclaimed each year and no maintained library
 * tracks them, so they come from a dated table (pse-holidays.ts) for the years it covers.
 * Unscheduled closures are known to neither: add them with `withExtraClosures`.
 */
export const EXCHANGE_CALENDARS: Readonly<Record<ExchangeId, ExchangeCalendar>> = {
  US: {
    id: 'US',
    timeZone: 'America/New_York',
    currency: 'USD',
    sessions: [{ openMinute: at(9, 30), closeMinute: at(16, 0) }],
    isHoliday: isNyseHoliday,
    earlyCloseMinute: (localDate) => nyseEarlyCloseMinute(localDate, isNyseHoliday),
  },
  PSE: {
    id: 'PSE',
    timeZone: 'Asia/Manila',
    currency: 'PHP',
    sessions: [
      { openMinute: at(9, 30), closeMinute: at(12, 0) },
      { openMinute: at(13, 0), closeMinute: at(15, 0) },
    ],
    isHoliday: isPseHoliday,
    holidayYears: PSE_HOLIDAY_YEARS,
  },
}
