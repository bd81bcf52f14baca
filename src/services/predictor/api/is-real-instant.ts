const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

/**
 * Whether a query's instant names one that exists: epoch milliseconds, or an ISO 8601 date or
 * date-time with a day its month has, hours up to 23, minutes and seconds up to 59 and an offset up
 * to ±23:59. `Date.parse` alone rolls 2024-02-30 over to March 1 instead of refusing it.
 */
export function isRealInstant(text: string): boolean {
  if (/^\d+$/.test(text)) return true
  const match = ISO_INSTANT.exec(text)
  if (match === null) return false
  // Absent time and offset parts are undefined at run time, whatever the tuple's type says.
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part: string | undefined) => Number(part ?? 0))
  const days = month === 2 && isLeapYear(year ?? 0) ? 29 : DAYS_IN_MONTH[(month ?? 0) - 1]
  return (
    days !== undefined &&
    (day ?? 0) >= 1 &&
    (day ?? 0) <= days &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    (second ?? 0) <= 59 &&
    (offsetHours ?? 0) <= 23 &&
    (offsetMinutes ?? 0) <= 59
  )
}
