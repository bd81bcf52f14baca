import { err, ok, type Result } from '../contracts/result.ts'
import { quoteForMessage } from './quote-for-message.ts'

export interface CsvTime {
  /** The instant written, epoch ms. */
  readonly ms: number
  /** 00:00 UTC of the calendar date as written (in its own offset): a daily bar's start. */
  readonly dayMs: number
  /** A date only, no time of day. */
  readonly isDateOnly: boolean
}

const DAY_MS = 86_400_000
const FIRST_YEAR = 1970
const LAST_YEAR = 2199
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/
const EPOCH = /^\d{1,13}$/
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

function fromEpoch(text: string): Result<CsvTime> {
  // Up to 11 digits are seconds (11 digits already reach the year 5138), 12 and 13 milliseconds.
  const ms = text.length <= 11 ? Number(text) * 1000 : Number(text)
  if (ms >= Date.UTC(LAST_YEAR + 1, 0, 1))
    return err(`time ${text} is after ${String(LAST_YEAR)}, the last year a bar may start in`)
  return ok({ ms, dayMs: ms - (ms % DAY_MS), isDateOnly: false })
}

/**
 * A row's time: a calendar date `YYYY-MM-DD` (00:00 UTC), an ISO 8601 date-time with its offset
 * (`2024-01-02T09:30:00-05:00`, `T` or a space), or epoch seconds or milliseconds. Only dates that
 * exist and years from 1970 to 2199 are accepted; `Date` alone would roll 2013-02-30 over to March 2
 * and read the year 0001 as 1901.
 */
export function parseCsvTime(text: string): Result<CsvTime> {
  if (EPOCH.test(text)) return fromEpoch(text)
  const match = ISO.exec(text)
  const shown = quoteForMessage(text, 40)
  if (match === null)
    return err(`time ${shown} is not a date YYYY-MM-DD, an ISO 8601 time with offset, or epoch seconds`)
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, offset] = match
  const [year, month, day] = [yearText, monthText, dayText].map(Number) as [number, number, number]
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]
  if (days === undefined || day < 1 || day > days) return err(`date ${shown} does not exist`)
  if (year < FIRST_YEAR || year > LAST_YEAR)
    return err(
      `date ${shown} is outside the years ${String(FIRST_YEAR)}–${String(LAST_YEAR)} bars may start in`,
    )
  const dayMs = Date.UTC(year, month - 1, day)
  if (hourText === undefined) return ok({ ms: dayMs, dayMs, isDateOnly: true })
  if (offset === undefined)
    return err(`time ${shown} has no UTC offset (Z or ±hh:mm): its instant is unknown`)
  const [hour, minute, second] = [hourText, minuteText, secondText ?? '0'].map(Number) as [
    number,
    number,
    number,
  ]
  const offsetMinutes =
    offset === 'Z'
      ? 0
      : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(-2)))
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) > 18 * 60)
    return err(`time ${shown} does not exist`)
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000)
  const ms = dayMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis
  if (ms < 0) return err(`time ${shown} is before 1970-01-01T00:00Z`)
  return ok({ ms, dayMs, isDateOnly: false })
}
