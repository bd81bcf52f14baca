import { zonedParts } from './zoned-parts.ts'

export interface WallTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour?: number
  readonly minute?: number
  readonly second?: number
}

/**
 * The instant at which the clocks of `timeZone` read the given wall time. Two passes correct for the
 * zone's offset, including across a daylight-saving change; a wall time skipped by a change resolves
 * to the instant after it.
 */
export function zonedTimeToEpoch(wall: WallTime, timeZone: string): number {
  const asUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour ?? 0,
    wall.minute ?? 0,
    wall.second ?? 0,
  )
  let guess = asUtc
  for (let pass = 0; pass < 2; pass++) {
    const seen = zonedParts(guess, timeZone)
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second)
    guess += asUtc - seenAsUtc
  }
  return guess
}
