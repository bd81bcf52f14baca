import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { isSessionOpen } from './is-session-open.ts'
import { isPseHoliday, PSE_HOLIDAY_YEARS, PSE_HOLIDAYS } from './pse-holidays.ts'

const { PSE } = EXCHANGE_CALENDARS

test('the PSE table knows the proclaimed holidays of 2024–2026 and nothing outside them', () => {
  const cases = [
    ['2024-02-09', true, 'Chinese New Year 2024 (Proclamation No. 453)'],
    ['2024-04-10', true, "Eid'l Fitr 2024"],
    ['2024-06-17', true, "Eid'l Adha 2024"],
    ['2025-04-17', true, 'Maundy Thursday 2025'],
    ['2025-05-12', true, 'election day 2025'],
    ['2025-02-25', false, 'EDSA anniversary 2025 is a special working day'],
    ['2025-08-25', true, 'National Heroes Day 2025'],
    ['2026-03-20', true, "Eid'l Fitr 2026"],
    ['2026-08-31', true, 'National Heroes Day 2026'],
    ['2026-02-25', false, 'EDSA anniversary 2026 is a special working day'],
    ['2026-10-14', false, 'an ordinary Wednesday'],
    ['2023-12-25', false, 'before the table: unknown, so open'],
    ['2027-01-01', false, 'after the table: unknown, so open'],
  ] as const
  for (const [date, expected, why] of cases) {
    assert.equal(isPseHoliday(date), expected, why)
    assert.equal(PSE.isHoliday(date), expected, `${why} (calendar)`)
  }
  assert.deepEqual(PSE.holidayYears, { first: 2024, last: 2026 })
})

test('every table entry is a real date inside the covered years', () => {
  const dates = Object.keys(PSE_HOLIDAYS)
  for (const date of dates) {
    assert.equal(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10), date, date)
    const year = Number(date.slice(0, 4))
    assert.ok(year >= PSE_HOLIDAY_YEARS.first && year <= PSE_HOLIDAY_YEARS.last, date)
  }
  assert.deepEqual(
    [2024, 2025, 2026].map((year) => dates.filter((date) => date.startsWith(String(year))).length),
    [21, 22, 20],
  )
})

test('PSE does not trade on a holiday in the table', () => {
  assert.equal(isSessionOpen(PSE, Date.parse('2025-12-30T02:00:00Z')), false, 'Rizal Day, 10:00 Manila')
  assert.equal(
    isSessionOpen(PSE, Date.parse('2025-12-29T02:00:00Z')),
    true,
    'the Monday before, 10:00 Manila',
  )
})
