import { EXCHANGE_IDS } from './exchange-calendars.ts'
import type { ExchangeCalendars } from './resolve-calendars.ts'

/**
 * One warning per exchange whose holiday table does not cover the year of `nowMs` (UTC): there,
 * every weekday counts as a trading day until the table is updated (e.g. pse-holidays.ts).
 */
export function calendarCoverageWarnings(calendars: ExchangeCalendars, nowMs: number): string[] {
  const year = new Date(nowMs).getUTCFullYear()
  const warnings: string[] = []
  for (const id of EXCHANGE_IDS) {
    const years = calendars[id].holidayYears
    if (years === undefined || (year >= years.first && year <= years.last)) continue
    warnings.push(
      `${id} holidays are known for ${years.first}–${years.last} only: in ${year} every weekday counts as a ` +
        'trading day (add closures with --extra-closures, or update the holiday table)',
    )
  }
  return warnings
}
