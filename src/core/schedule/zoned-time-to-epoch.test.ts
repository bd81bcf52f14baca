import assert from 'node:assert/strict'
import { test } from 'node:test'
import { zonedParts } from './zoned-parts.ts'
import { zonedTimeToEpoch } from './zoned-time-to-epoch.ts'

test('zonedTimeToEpoch resolves wall times in standard time, summer time and a zone without DST', () => {
  const cases = [
    [{ year: 2024, month: 1, day: 5, hour: 9, minute: 30 }, 'America/New_York', '2024-01-05T14:30:00.000Z'],
    [{ year: 2024, month: 7, day: 5, hour: 9, minute: 30 }, 'America/New_York', '2024-07-05T13:30:00.000Z'],
    [{ year: 2024, month: 3, day: 11, hour: 9, minute: 30 }, 'America/New_York', '2024-03-11T13:30:00.000Z'],
    [{ year: 2022, month: 10, day: 14, hour: 14, minute: 50 }, 'Asia/Manila', '2022-10-14T06:50:00.000Z'],
    [
      { year: 2024, month: 1, day: 5, hour: 22, minute: 0, second: 9 },
      'Europe/Warsaw',
      '2024-01-05T21:00:09.000Z',
    ],
    [{ year: 2024, month: 1, day: 1 }, 'Asia/Manila', '2023-12-31T16:00:00.000Z'],
  ] as const
  for (const [wall, zone, expected] of cases) {
    assert.equal(
      new Date(zonedTimeToEpoch(wall, zone)).toISOString(),
      expected,
      `${JSON.stringify(wall)} ${zone}`,
    )
  }
})

test('zonedParts reads the local weekday and time', () => {
  assert.deepEqual(zonedParts(Date.parse('2024-01-06T04:59:59Z'), 'America/New_York'), {
    year: 2024,
    month: 1,
    day: 5,
    hour: 23,
    minute: 59,
    second: 59,
    weekday: 5,
  })
})
