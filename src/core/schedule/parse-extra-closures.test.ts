import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { isSessionOpen } from './is-session-open.ts'
import { parseExtraClosures } from './parse-extra-closures.ts'
import { resolveCalendars } from './resolve-calendars.ts'

test('parses EXCHANGE:YYYY-MM-DD lists and names the first bad entry', () => {
  assert.deepEqual(parseExtraClosures('US:2025-01-09, PSE:2025-07-24,PSE:2025-07-25'), {
    ok: true,
    value: { US: ['2025-01-09'], PSE: ['2025-07-24', '2025-07-25'] },
  })
  assert.deepEqual(parseExtraClosures(' '), { ok: true, value: { US: [], PSE: [] } })
  const cases = [
    ['US:2025-1-09', '"US:2025-1-09" is not EXCHANGE:YYYY-MM-DD (exchanges: US, PSE)'],
    ['2025-01-09', '"2025-01-09" is not EXCHANGE:YYYY-MM-DD (exchanges: US, PSE)'],
    ['US:2025-01-09,', '"" is not EXCHANGE:YYYY-MM-DD (exchanges: US, PSE)'],
    ['LSE:2025-01-09', '"LSE:2025-01-09": unknown exchange LSE (exchanges: US, PSE)'],
    ['us:2025-01-09', '"us:2025-01-09" is not EXCHANGE:YYYY-MM-DD (exchanges: US, PSE)'],
    ['PSE:2025-02-30', '"PSE:2025-02-30": 2025-02-30 is not a real calendar date'],
  ] as const
  for (const [text, error] of cases) assert.deepEqual(parseExtraClosures(text), { ok: false, error }, text)
})

test('resolved calendars close the extra dates and keep everything else', () => {
  const parsed = parseExtraClosures('US:2025-01-09')
  assert.ok(parsed.ok)
  const calendars = resolveCalendars(parsed.value)
  const tenAm = Date.parse('2025-01-09T15:00:00Z')
  assert.equal(isSessionOpen(calendars.US, tenAm), false)
  assert.equal(isSessionOpen(EXCHANGE_CALENDARS.US, tenAm), true)
  assert.equal(isSessionOpen(calendars.US, Date.parse('2025-01-10T15:00:00Z')), true)
  assert.equal(calendars.US.isHoliday('2025-12-25'), true, 'the NYSE holidays stay')
  assert.equal(calendars.PSE, EXCHANGE_CALENDARS.PSE, 'no closures: the same calendar')
  assert.equal(resolveCalendars(undefined), EXCHANGE_CALENDARS)
})
