import { zonedParts } from '../schedule/zoned-parts.ts'

/**
 * Daily bars start at 00:00 UTC of their trading date in the exchange's own time zone, whatever
 * instant the provider stamps them with, so that every provider gives a day the same start.
 */
export function dailyBarStart(dateOrEpochMs: string | number, timeZone = 'UTC'): number {
  if (typeof dateOrEpochMs === 'string') return Date.parse(`${dateOrEpochMs.slice(0, 10)}T00:00:00Z`)
  const local = zonedParts(dateOrEpochMs, timeZone)
  return Date.UTC(local.year, local.month - 1, local.day)
}
