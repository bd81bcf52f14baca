import type { FeatureRow } from '../contracts/feature-row.ts'
import type { Interval } from '../contracts/primitives.ts'
import { timeOfDayMean, timeOfDayScale, type TimeOfDayProfile } from '../model/time-of-day-profile.ts'
import { exchangeOfSymbol } from '../providers/exchange-of-symbol.ts'
import { barStartAhead } from '../schedule/bar-starts-ahead.ts'
import type { ExchangeCalendar } from '../schedule/exchange-calendars.ts'
import { timeOfDaySlotOf } from '../schedule/time-of-day-slot.ts'
import type { TrainerOptions } from './trainer-options.ts'

/**
 * What the time-of-day profile needs of a row: the calendar of its symbol (its clock) and the
 * symbol's profile. Null for daily bars and when the profile is switched off (`timeOfDayDecay` 1):
 * every scale is then 1, and σ is the variance models' own.
 */
export interface TimeOfDayContext {
  readonly calendar: ExchangeCalendar
  readonly interval: Interval
  readonly profile: TimeOfDayProfile
}

export function timeOfDayContextOf(
  options: TrainerOptions,
  profile: TimeOfDayProfile,
  row: FeatureRow,
): TimeOfDayContext | null {
  if (row.interval === '1d' || options.timeOfDayDecay >= 1) return null
  return { calendar: options.calendars[exchangeOfSymbol(row.symbol)], interval: row.interval, profile }
}

/** The slot of the day of the bar starting at `barStartMs` (`timeOfDaySlotOf`). */
export const slotOf = (context: TimeOfDayContext, barStartMs: number): number =>
  timeOfDaySlotOf(context.calendar, barStartMs)

/**
 * σ of the bar starting at `barStartMs` against the day's average (`timeOfDayScale`), from the
 * profile as it stands; 1 without a context.
 */
export const scaleAt = (context: TimeOfDayContext | null, barStartMs: number): number =>
  context === null
    ? 1
    : timeOfDayScale(context.profile, slotOf(context, barStartMs), timeOfDayMean(context.profile))

/**
 * √(mean of the squared scales of the `horizon` bars after the one starting at `barStartMs`): what
 * the σ of the sum of their deseasonalised returns is multiplied by. 1 without a context.
 */
export function scaleAhead(context: TimeOfDayContext | null, barStartMs: number, horizon: number): number {
  if (context === null) return 1
  const mean = timeOfDayMean(context.profile)
  let sum = 0
  for (let k = 1; k <= horizon; k++) {
    const start = barStartAhead(context.calendar, context.interval, barStartMs, k)
    const scale = timeOfDayScale(context.profile, slotOf(context, start), mean)
    sum += scale * scale
  }
  return Math.sqrt(sum / horizon)
}
