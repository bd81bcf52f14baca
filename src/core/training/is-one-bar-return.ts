import type { FeatureRow } from '../contracts/feature-row.ts'
import { exchangeOfSymbol } from '../providers/exchange-of-symbol.ts'
import { barStartAhead } from '../schedule/bar-starts-ahead.ts'
import type { TrainerOptions } from './trainer-options.ts'

/**
 * Whether `row`'s return against the bar that started at `previousBarStart` is one bar's, what the
 * one-bar forecast made at that bar predicted, so that the models may score and learn from it: with
 * no more missing bars before it than `maxGapBars` (daily bars allow a week, since holidays count
 * as gaps), or, intraday, when the row is the next bar on its exchange's calendar, whatever night,
 * weekend or lunch break lies between (the forecast was dated for exactly that bar). A bar after a
 * closure the calendar does not know, or after a missing bar inside a session, is not.
 */
export function isOneBarReturn(options: TrainerOptions, row: FeatureRow, previousBarStart: number): boolean {
  if (row.gapBars <= options.maxGapBars[row.interval]) return true
  if (row.interval === '1d' || !Number.isFinite(previousBarStart)) return false
  const calendar = options.calendars[exchangeOfSymbol(row.symbol)]
  return barStartAhead(calendar, row.interval, previousBarStart, 1) === row.barStart
}
