import assert from 'node:assert/strict'
import { test } from 'node:test'
import { calendarCoverageWarnings } from './calendar-coverage-warnings.ts'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'

test('warns about an exchange whose holiday table does not cover the year', () => {
  assert.deepEqual(calendarCoverageWarnings(EXCHANGE_CALENDARS, Date.parse('2026-06-01T00:00:00Z')), [])
  assert.deepEqual(calendarCoverageWarnings(EXCHANGE_CALENDARS, Date.parse('2027-01-04T00:00:00Z')), [
    'PSE holidays are known for 2024–2026 only: in 2027 every weekday counts as a trading day ' +
      '(add closures with --extra-closures, or update the holiday table)',
  ])
})
