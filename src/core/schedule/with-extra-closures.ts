import type { ExchangeCalendar } from './exchange-calendars.ts'

/**
 * The calendar with the given local dates (YYYY-MM-DD) closed as well, e.g. an unscheduled
 * closure (a national day of mourning, a typhoon) or a holiday proclaimed after the calendar's
 * table was compiled. No dates: the calendar itself.
 */
export function withExtraClosures(calendar: ExchangeCalendar, dates: readonly string[]): ExchangeCalendar {
  if (dates.length === 0) return calendar
  const closed = new Set(dates)
  const isHoliday = calendar.isHoliday
  return { ...calendar, isHoliday: (localDate) => closed.has(localDate) || isHoliday(localDate) }
}
