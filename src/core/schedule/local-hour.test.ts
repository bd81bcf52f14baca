import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { localHourOf } from './local-hour.ts'

test('the local hour follows the exchange clock across a daylight-saving change', () => {
  const us = EXCHANGE_CALENDARS.US
  // 09:30 in New York on the Friday before the change (EST, UTC−5) and the Monday after (EDT, UTC−4).
  assert.equal(localHourOf(us, Date.UTC(2024, 2, 8, 14, 30)), 9)
  assert.equal(localHourOf(us, Date.UTC(2024, 2, 11, 13, 30)), 9)
  assert.equal(localHourOf(us, Date.UTC(2024, 2, 11, 19, 59)), 15)
  assert.equal(localHourOf(us, Date.UTC(2024, 2, 11, 20, 0)), 16)
  // Asked again (from the cache), the same answers.
  assert.equal(localHourOf(us, Date.UTC(2024, 2, 8, 14, 30)), 9)
  assert.equal(localHourOf(EXCHANGE_CALENDARS.PSE, Date.UTC(2024, 2, 8, 5, 0)), 13)
})
