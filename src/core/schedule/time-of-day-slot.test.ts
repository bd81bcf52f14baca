import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts'
import { timeOfDaySlotLabel, timeOfDaySlotOf, timeOfDaySlotOrder } from './time-of-day-slot.ts'

test('a slot is the hour of the exchange clock, the same across a daylight-saving change', () => {
  const us = EXCHANGE_CALENDARS.US
  // 10:30 in New York on the Friday before the change (EST, UTC−5) and the Monday after (EDT, UTC−4).
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 8, 15, 30)), 10)
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 11, 14, 30)), 10)
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 11, 13, 35)), 9)
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 11, 19, 59)), 15)
  // Outside every session (a 24-hour market on this calendar): still its hour.
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 11, 7, 0)), 3)
  // Asked again (from the cache), the same answer.
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 8, 15, 30)), 10)
})

test("a bar that starts at a session's open has the open's own slot: the night or the lunch break is in its return", () => {
  const us = EXCHANGE_CALENDARS.US
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 8, 14, 30)), 24)
  assert.equal(timeOfDaySlotOf(us, Date.UTC(2024, 2, 11, 13, 30)), 24)
  const pse = EXCHANGE_CALENDARS.PSE
  // Manila, UTC+8: the morning session opens 09:30, the afternoon one 13:00.
  assert.equal(timeOfDaySlotOf(pse, Date.UTC(2024, 2, 8, 1, 30)), 24)
  assert.equal(timeOfDaySlotOf(pse, Date.UTC(2024, 2, 8, 5, 0)), 25)
  assert.equal(timeOfDaySlotOf(pse, Date.UTC(2024, 2, 8, 5, 30)), 13)
  assert.deepEqual([24, 25, 9].map(timeOfDaySlotLabel), ['open 1', 'open 2', '09:00'])
  assert.deepEqual(
    [9, 25, 0, 24, 23].sort((a, b) => timeOfDaySlotOrder(a) - timeOfDaySlotOrder(b)),
    [24, 25, 0, 9, 23],
  )
})
