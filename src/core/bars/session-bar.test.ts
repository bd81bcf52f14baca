import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS, type ExchangeId } from '../schedule/exchange-calendars.ts'
import { sessionBar } from './session-bar.ts'

const HOUR = 3_600_000
const span = (exchange: ExchangeId, at: string, intervalMs = HOUR): [string, string] => {
  const bar = sessionBar(EXCHANGE_CALENDARS[exchange], Date.parse(at), intervalMs)
  return [new Date(bar.start).toISOString(), new Date(bar.end).toISOString()]
}

test('intraday bars start at the session open; the last one ends at the close', () => {
  const cases = [
    [
      'US',
      '2024-01-05T14:30:00Z',
      HOUR,
      '2024-01-05T14:30:00.000Z',
      '2024-01-05T15:30:00.000Z',
      '09:30 opens the first bar',
    ],
    [
      'US',
      '2024-01-05T14:45:00Z',
      HOUR,
      '2024-01-05T14:30:00.000Z',
      '2024-01-05T15:30:00.000Z',
      '09:45 is in the 09:30 bar',
    ],
    [
      'US',
      '2024-01-05T15:30:00Z',
      HOUR,
      '2024-01-05T15:30:00.000Z',
      '2024-01-05T16:30:00.000Z',
      '10:30 starts the next',
    ],
    [
      'US',
      '2024-01-05T20:45:00Z',
      HOUR,
      '2024-01-05T20:30:00.000Z',
      '2024-01-05T21:00:00.000Z',
      '15:45: the short last bar',
    ],
    [
      'US',
      '2024-01-05T21:00:02Z',
      HOUR,
      '2024-01-05T20:30:00.000Z',
      '2024-01-05T21:00:00.000Z',
      'a closing print after 16:00',
    ],
    [
      'US',
      '2024-01-06T15:00:00Z',
      HOUR,
      '2024-01-05T20:30:00.000Z',
      '2024-01-05T21:00:00.000Z',
      'Saturday: Friday’s last bar',
    ],
    [
      'US',
      '2024-01-08T14:00:00Z',
      HOUR,
      '2024-01-05T20:30:00.000Z',
      '2024-01-05T21:00:00.000Z',
      'Monday before the open',
    ],
    [
      'US',
      '2024-07-08T13:40:00Z',
      HOUR,
      '2024-07-08T13:30:00.000Z',
      '2024-07-08T14:30:00.000Z',
      'summer time: 09:30 EDT',
    ],
    [
      'US',
      '2024-11-29T17:45:00Z',
      HOUR,
      '2024-11-29T17:30:00.000Z',
      '2024-11-29T18:00:00.000Z',
      'early close: 12:30–13:00',
    ],
    [
      'US',
      '2024-11-29T18:30:00Z',
      HOUR,
      '2024-11-29T17:30:00.000Z',
      '2024-11-29T18:00:00.000Z',
      'after the early close',
    ],
    [
      'US',
      '2024-01-05T14:34:10Z',
      300_000,
      '2024-01-05T14:30:00.000Z',
      '2024-01-05T14:35:00.000Z',
      '5-minute bars',
    ],
    [
      'PSE',
      '2022-10-14T01:45:00Z',
      HOUR,
      '2022-10-14T01:30:00.000Z',
      '2022-10-14T02:30:00.000Z',
      'Manila 09:30–10:30',
    ],
    [
      'PSE',
      '2022-10-14T03:45:00Z',
      HOUR,
      '2022-10-14T03:30:00.000Z',
      '2022-10-14T04:00:00.000Z',
      'Manila 11:30–12:00',
    ],
    [
      'PSE',
      '2022-10-14T04:30:00Z',
      HOUR,
      '2022-10-14T03:30:00.000Z',
      '2022-10-14T04:00:00.000Z',
      'lunch: the morning’s last bar',
    ],
    [
      'PSE',
      '2022-10-14T05:10:00Z',
      HOUR,
      '2022-10-14T05:00:00.000Z',
      '2022-10-14T06:00:00.000Z',
      'Manila 13:00–14:00',
    ],
    [
      'PSE',
      '2022-10-14T06:50:00Z',
      HOUR,
      '2022-10-14T06:00:00.000Z',
      '2022-10-14T07:00:00.000Z',
      'Manila 14:00–15:00',
    ],
  ] as const
  for (const [exchange, at, intervalMs, start, end, why] of cases) {
    assert.deepEqual(span(exchange, at, intervalMs), [start, end], why)
  }
})

test('the bars of a session tile it without overlap', () => {
  for (const [exchange, day] of [
    ['US', '2024-11-29'],
    ['US', '2024-07-08'],
    ['PSE', '2022-10-14'],
  ] as const) {
    const bars = new Map<number, number>()
    for (let minute = 0; minute < 24 * 60; minute++) {
      const bar = sessionBar(
        EXCHANGE_CALENDARS[exchange],
        Date.parse(`${day}T00:00:00Z`) + minute * 60_000,
        HOUR,
      )
      bars.set(bar.start, bar.end)
    }
    const sorted = [...bars].sort((a, b) => a[0] - b[0])
    for (let index = 1; index < sorted.length; index++) {
      assert.ok(sorted[index - 1]![1] <= sorted[index]![0], `${exchange} ${day}: bars overlap`)
    }
  }
})
