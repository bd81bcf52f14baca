/**
 * Days the Philippine Stock Exchange does not trade, beyond weekends: the nationwide regular
 * holidays and special (non-working) days of the Philippine presidential proclamations, which the
 * exchange follows. No maintained package tracks them (`date-holidays` has the fixed-date
 * holidays only, not the yearly proclaimed days or the Islamic holidays' dates), so this is a
 * dated, versioned table.
 *
 * Version 1, compiled 2026-12-02 from the proclamations as reported by the Philippine press and
 * the PSE's own notices:
 * - 2024: Proclamation No. 368 s. 2023 (11 Oct 2023); No. 453 s. 2024 (9 Feb, Chinese New Year);
 *   No. 514 (10 Apr, Eid'l Fitr); No. 579 (17 Jun, Eid'l Adha).
 * - 2025: Proclamation No. 727 s. 2024 (released 31 Oct 2024; 25 Feb is a special *working* day);
 *   No. 839 (1 Apr, Eid'l Fitr); No. 878 (12 May, elections); No. 911 (6 Jun, Eid'l Adha);
 *   No. 729 (27 Jul, a Sunday).
 * - 2026: Proclamation No. 1006 s. 2025 (3 Sep 2025; 25 Feb is a special working day); 20 Mar,
 *   Eid'l Fitr, as declared by the Palace on 12 Mar 2026 (the proclamation number was not seen);
 *   No. 1264 (27 May, Eid'l Adha).
 *
 * Not in the table: unscheduled suspensions (typhoons, emergencies), the exchange's own half-day
 * sessions, local (non-nationwide) special days, and anything proclaimed after the compilation
 * date. Add those with `--extra-closures` (`QUOTECAST_EXTRA_CLOSURES`, e.g. `PSE:2026-12-26`).
 *
 * Updating: when the proclamation for a new year is issued (usually between August and October of
 * the year before), add the year's dates below, then the Eid'l Fitr and Eid'l Adha dates when
 * their proclamations follow (weeks before each feast); raise {@link PSE_HOLIDAY_YEARS}.last, bump
 * the version and the compilation date above, and extend pse-holidays.test.ts. Years outside the
 * table have no holidays: every weekday counts as a trading day.
 */
export const PSE_HOLIDAYS: Readonly<Record<string, string>> = {
  '2024-01-01': "New Year's Day",
  '2024-02-09': 'Chinese New Year (Proclamation No. 453)',
  '2024-02-10': 'Chinese New Year',
  '2024-03-28': 'Maundy Thursday',
  '2024-03-29': 'Good Friday',
  '2024-03-30': 'Black Saturday',
  '2024-04-09': 'Araw ng Kagitingan',
  '2024-04-10': "Eid'l Fitr (Proclamation No. 514)",
  '2024-05-01': 'Labor Day',
  '2024-06-12': 'Independence Day',
  '2024-06-17': "Eid'l Adha (Proclamation No. 579)",
  '2024-08-21': 'Ninoy Aquino Day',
  '2024-08-26': 'National Heroes Day',
  '2024-11-01': "All Saints' Day",
  '2024-11-02': "All Souls' Day",
  '2024-11-30': 'Bonifacio Day',
  '2024-12-08': 'Feast of the Immaculate Conception',
  '2024-12-24': 'Christmas Eve',
  '2024-12-25': 'Christmas Day',
  '2024-12-30': 'Rizal Day',
  '2024-12-31': 'Last Day of the Year',
  '2025-01-01': "New Year's Day",
  '2025-01-29': 'Chinese New Year',
  '2025-04-01': "Eid'l Fitr (Proclamation No. 839)",
  '2025-04-09': 'Araw ng Kagitingan',
  '2025-04-17': 'Maundy Thursday',
  '2025-04-18': 'Good Friday',
  '2025-04-19': 'Black Saturday',
  '2025-05-01': 'Labor Day',
  '2025-05-12': 'National and local elections (Proclamation No. 878)',
  '2025-06-06': "Eid'l Adha (Proclamation No. 911)",
  '2025-06-12': 'Independence Day',
  '2025-07-27': 'Iglesia ni Cristo founding anniversary (Proclamation No. 729)',
  '2025-08-21': 'Ninoy Aquino Day',
  '2025-08-25': 'National Heroes Day',
  '2025-10-31': "All Saints' Day Eve",
  '2025-11-01': "All Saints' Day",
  '2025-11-30': 'Bonifacio Day',
  '2025-12-08': 'Feast of the Immaculate Conception',
  '2025-12-24': 'Christmas Eve',
  '2025-12-25': 'Christmas Day',
  '2025-12-30': 'Rizal Day',
  '2025-12-31': 'Last Day of the Year',
  '2026-01-01': "New Year's Day",
  '2026-02-17': 'Chinese New Year',
  '2026-03-20': "Eid'l Fitr",
  '2026-04-02': 'Maundy Thursday',
  '2026-04-03': 'Good Friday',
  '2026-04-04': 'Black Saturday',
  '2026-04-09': 'Araw ng Kagitingan',
  '2026-05-01': 'Labor Day',
  '2026-05-27': "Eid'l Adha (Proclamation No. 1264)",
  '2026-06-12': 'Independence Day',
  '2026-08-21': 'Ninoy Aquino Day',
  '2026-08-31': 'National Heroes Day',
  '2026-11-01': "All Saints' Day",
  '2026-11-02': "All Souls' Day",
  '2026-11-30': 'Bonifacio Day',
  '2026-12-08': 'Feast of the Immaculate Conception',
  '2026-12-24': 'Christmas Eve',
  '2026-12-25': 'Christmas Day',
  '2026-12-30': 'Rizal Day',
  '2026-12-31': 'Last Day of the Year',
}

/** The years {@link PSE_HOLIDAYS} covers, inclusive. */
export const PSE_HOLIDAY_YEARS = { first: 2024, last: 2026 } as const

/** Whether a Manila date (YYYY-MM-DD) is a PSE holiday in the table. */
export function isPseHoliday(localDate: string): boolean {
  return Object.hasOwn(PSE_HOLIDAYS, localDate)
}
