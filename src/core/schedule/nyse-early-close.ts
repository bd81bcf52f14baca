const EARLY_CLOSE_MINUTE = 13 * 60

/**
 * The 13:00 New York close of NYSE's early-closing days, or undefined on a regular day: the day
 * after Thanksgiving (the fourth Thursday of November), and July 3 and December 24 when they are
 * weekdays and not holidays themselves (July 3 is the observed Independence Day when July 4 is a
 * Saturday, December 24 the observed Christmas when December 25 is). These are the rules of NYSE's
 * published holiday and hours schedule; `nyse-holidays` (1.2.0) knows no early closes. The rule
 * is applied to every year; it was checked against the schedules of 2024–2026 only, and NYSE has
 * made exceptions in the past.
 */
export function nyseEarlyCloseMinute(
  localDate: string,
  isHoliday: (localDate: string) => boolean,
): number | undefined {
  const month = localDate.slice(5, 7)
  const day = Number(localDate.slice(8, 10))
  if (month === '11') {
    const year = Number(localDate.slice(0, 4))
    const firstWeekday = new Date(Date.UTC(year, 10, 1)).getUTCDay()
    const thanksgiving = 1 + ((4 - firstWeekday + 7) % 7) + 21
    return day === thanksgiving + 1 ? EARLY_CLOSE_MINUTE : undefined
  }
  if ((month === '07' && day === 3) || (month === '12' && day === 24)) {
    const weekday = new Date(`${localDate}T00:00:00Z`).getUTCDay()
    return weekday !== 0 && weekday !== 6 && !isHoliday(localDate) ? EARLY_CLOSE_MINUTE : undefined
  }
  return undefined
}
