import { getHolidays } from 'nyse-holidays'

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
  /** Whether a local date (YYYY-MM-DD) is a full-day holiday, as far as a maintained library knows. */
  readonly isHoliday: (localDate: string) => boolean
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
 * which follows NYSE's rules; unscheduled closures are not known). The Philippine Stock Exchange
 * trades 9:30–12:00 and 13:00–15:00 Manila time (the afternoon includes the closing auction); its
 * holidays are proclaimed each year and no maintained library tracks them.
 */
export const EXCHANGE_CALENDARS: Readonly<Record<ExchangeId, ExchangeCalendar>> = {
  US: {
    id: 'US',
    timeZone: 'America/New_York',
    currency: 'USD',
    sessions: [{ openMinute: at(9, 30), closeMinute: at(16, 0) }],
    isHoliday: isNyseHoliday,
  },
  PSE: {
    id: 'PSE',
    timeZone: 'Asia/Manila',
    currency: 'PHP',
    sessions: [
      { openMinute: at(9, 30), closeMinute: at(12, 0) },
      { openMinute: at(13, 0), closeMinute: at(15, 0) },
    ],
    isHoliday: () => false,
  },
}
