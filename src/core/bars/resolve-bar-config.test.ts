import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXCHANGE_CALENDARS } from '../schedule/exchange-calendars.ts'
import { resolveBarConfig } from './resolve-bar-config.ts'

test('defaults: daily bars in UTC, no lateness, 64 remembered ids, intraday bars on the exchange sessions', () => {
  assert.deepEqual(resolveBarConfig(), {
    ok: true,
    value: {
      interval: '1d',
      intervalMs: 86_400_000,
      allowedLatenessMs: 0,
      utcOffsetMs: 0,
      dedupCapacity: 64,
      maxClockSkewMs: 300_000,
      calendars: EXCHANGE_CALENDARS,
    },
  })
})

test('names the first bad option', () => {
  const cases = [
    [{ interval: '2m' as '1m' }, 'interval: unknown interval "2m"'],
    [
      { interval: '1m', allowedLatenessMs: 60_001 },
      'allowedLatenessMs: must be an integer from 0 to the interval (60000 ms)',
    ],
    [{ allowedLatenessMs: -1 }, 'allowedLatenessMs: must be an integer from 0 to the interval (86400000 ms)'],
    [{ utcOffsetMs: 60_000 }, 'utcOffsetMs: must be a whole number of quarter hours from -12:00 to +14:00'],
    [
      { utcOffsetMs: 15 * 3_600_000 },
      'utcOffsetMs: must be a whole number of quarter hours from -12:00 to +14:00',
    ],
    [{ dedupCapacity: 0 }, 'dedupCapacity: must be an integer from 1 to 256'],
    [{ maxClockSkewMs: 1.5 }, 'maxClockSkewMs: must be a non-negative integer'],
  ] as const
  for (const [options, error] of cases) assert.deepEqual(resolveBarConfig(options), { ok: false, error })
})
