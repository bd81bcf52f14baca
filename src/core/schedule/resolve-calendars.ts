import {
  EXCHANGE_CALENDARS,
  EXCHANGE_IDS,
  type ExchangeCalendar,
  type ExchangeId,
} from './exchange-calendars.ts'
import type { ExtraClosures } from './parse-extra-closures.ts'
import { withExtraClosures } from './with-extra-closures.ts'

export type ExchangeCalendars = Readonly<Record<ExchangeId, ExchangeCalendar>>

/** Every exchange's calendar with its extra closures (the `--extra-closures` setting) applied. */
export function resolveCalendars(
  extraClosures: ExtraClosures | undefined,
  calendars: ExchangeCalendars = EXCHANGE_CALENDARS,
): ExchangeCalendars {
  if (extraClosures === undefined) return calendars
  const resolved = {} as Record<ExchangeId, ExchangeCalendar>
  for (const id of EXCHANGE_IDS) resolved[id] = withExtraClosures(calendars[id], extraClosures[id])
  return resolved
}
