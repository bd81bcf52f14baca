import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseCsvTime } from './parse-csv-time.ts'

test('reads dates, ISO times with an offset and epoch seconds or milliseconds', () => {
  const cases = [
    ['2024-02-29', Date.UTC(2024, 1, 29), Date.UTC(2024, 1, 29), true],
    ['2000-02-29', Date.UTC(2000, 1, 29), Date.UTC(2000, 1, 29), true],
    ['2024-01-02T09:30:00-05:00', Date.UTC(2024, 0, 2, 14, 30), Date.UTC(2024, 0, 2), false],
    ['2024-01-02 09:30+05:30', Date.UTC(2024, 0, 2, 4, 0), Date.UTC(2024, 0, 2), false],
    ['2024-01-02T00:15:00.250+0100', Date.UTC(2024, 0, 1, 23, 15, 0, 250), Date.UTC(2024, 0, 2), false],
    ['2024-01-02T09:30:00Z', Date.UTC(2024, 0, 2, 9, 30), Date.UTC(2024, 0, 2), false],
    ['1704205800', Date.UTC(2024, 0, 2, 14, 30), Date.UTC(2024, 0, 2), false],
    ['1704205800000', Date.UTC(2024, 0, 2, 14, 30), Date.UTC(2024, 0, 2), false],
  ] as const
  for (const [text, ms, dayMs, isDateOnly] of cases)
    assert.deepEqual(parseCsvTime(text), { ok: true, value: { ms, dayMs, isDateOnly } }, text)
})

test('refuses what does not exist or is out of range, naming it', () => {
  const cases = [
    ['2013-02-30', 'date "2013-02-30" does not exist'],
    ['2100-02-29', 'date "2100-02-29" does not exist'],
    ['2024-13-01', 'date "2024-13-01" does not exist'],
    ['2024-01-00', 'date "2024-01-00" does not exist'],
    ['1969-12-31', 'date "1969-12-31" is outside the years 1970–2199 bars may start in'],
    ['0001-01-01', 'date "0001-01-01" is outside the years 1970–2199 bars may start in'],
    ['2024-01-02T24:00:00Z', 'time "2024-01-02T24:00:00Z" does not exist'],
    ['2024-01-02T10:60Z', 'time "2024-01-02T10:60Z" does not exist'],
    ['1970-01-01T00:30+01:00', 'time "1970-01-01T00:30+01:00" is before 1970-01-01T00:00Z'],
    ['99999999999', 'time 99999999999 is after 2199, the last year a bar may start in'],
    ['0x10', 'time "0x10" is not a date YYYY-MM-DD, an ISO 8601 time with offset, or epoch seconds'],
    ['', 'time "" is not a date YYYY-MM-DD, an ISO 8601 time with offset, or epoch seconds'],
  ] as const
  for (const [text, error] of cases) assert.deepEqual(parseCsvTime(text), { ok: false, error }, text)
})
