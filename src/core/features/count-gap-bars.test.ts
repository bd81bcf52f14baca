import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countGapBars } from './count-gap-bars.ts'

const DAY = 86_400_000
const MINUTE = 60_000
const date = (iso: string): number => Date.parse(`${iso}T00:00:00Z`)

test('daily bars: only missing weekdays count', () => {
  const cases: [string, string, number][] = [
    ['2024-01-08', '2024-01-09', 0], // Monday → Tuesday
    ['2024-01-05', '2024-01-08', 0], // Friday → Monday: a weekend is no gap
    ['2024-01-12', '2024-01-16', 1], // Friday → Tuesday: Monday 15 January, a holiday
    ['2024-03-28', '2024-04-01', 1], // Thursday → Monday: Good Friday
    ['2024-01-03', '2024-01-10', 4], // Wednesday → Wednesday
    ['2024-01-05', '2024-01-06', 0], // Friday → Saturday, for markets that trade then
    ['2024-01-06', '2024-01-08', 0], // Saturday → Monday
    ['2024-01-05', '2024-01-07', 0], // Friday → Sunday
    ['1970-01-01', '1970-01-05', 1], // Thursday → Monday, at the epoch
  ]
  for (const [previous, current, gap] of cases) {
    assert.equal(countGapBars(date(previous), date(current), DAY), gap, `${previous} → ${current}`)
  }
})

test('intraday bars: every empty slot of the grid counts', () => {
  const t = Date.UTC(2024, 0, 2, 14, 30)
  assert.equal(countGapBars(t, t + MINUTE, MINUTE), 0)
  assert.equal(countGapBars(t, t + 3 * MINUTE, MINUTE), 2)
  assert.equal(countGapBars(t, t + 10 * MINUTE, 5 * MINUTE), 1)
  assert.equal(countGapBars(t, t + DAY, 60 * MINUTE), 23)
})
