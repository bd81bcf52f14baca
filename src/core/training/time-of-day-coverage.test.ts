import assert from 'node:assert/strict'
import { test } from 'node:test'
import { naiveModel } from '../model/naive-model.ts'
import { EXCHANGE_CALENDARS } from '../schedule/exchange-calendars.ts'
import { localHourOf } from '../schedule/local-hour.ts'
import { syntheticIntradayRows } from '../../../test/fixtures/training/synthetic-intraday-rows.ts'
import { resolveTrainerOptions, type TrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { decodeModelSnapshot, encodeModelSnapshot } from './model-snapshot-codec.ts'
import { fromSnapshot } from './trainer-snapshot.ts'

// An intraday volatility smile: the bar after the open and the last bar twice the midday σ.
const SMILE: Readonly<Record<number, number>> = {
  9: 0.008,
  10: 0.005,
  11: 0.004,
  12: 0.003,
  13: 0.0035,
  14: 0.005,
  15: 0.007,
}

/** Coverage of the published 80 and 95 % bands by New York hour, over hourly bars of 1,000 sessions. */
function coverageByHour(
  options: TrainerOptions,
  seed: number,
): Map<number, { n: number; in80: number; in95: number }> {
  const rows = syntheticIntradayRows({
    sigmaOfHour: (hour) => SMILE[hour] ?? 0.005,
    interval: '1h',
    bars: 7_000,
    seed,
    startMs: Date.UTC(2021, 0, 4, 14, 30),
  })
  const byHour = new Map<number, { n: number; in80: number; in95: number }>()
  let state = createTrainerState(options, 'SYN', '1h')
  for (const [index, row] of rows.entries()) {
    const { state: next, scored } = trainStep(options, state, row, true)
    state = next
    // The first 70 sessions let the profile learn; every bar after them is scored.
    if (scored === null || index < 490) continue
    const served = scored.forecasts.find((forecast) => forecast.id === scored.served)!
    const error = Math.abs(scored.actual - served.predicted)
    const hour = localHourOf(EXCHANGE_CALENDARS.US, row.barStart)
    const tally = byHour.get(hour) ?? { n: 0, in80: 0, in95: 0 }
    tally.n += 1
    tally.in80 += error <= served.half80 ? 1 : 0
    tally.in95 += error <= served.half95 ? 1 : 0
    byHour.set(hour, tally)
  }
  return byHour
}

const describe = (byHour: Map<number, { n: number; in80: number; in95: number }>): string =>
  [...byHour]
    .sort(([a], [b]) => a - b)
    .map(
      ([hour, t]) => `${hour}h ${((100 * t.in80) / t.n).toFixed(1)}/${((100 * t.in95) / t.n).toFixed(1)} %`,
    )
    .join(', ')

test('with the time-of-day profile every hour of the session is covered at 80 and 95 % ± 3 points', () => {
  const options = resolveTrainerOptions({ models: [naiveModel] })
  for (const seed of [1, 2]) {
    const byHour = coverageByHour(options, seed)
    // The 09:30 bar's return spans the night: a gap, neither scored nor learnt from (maxGapBars).
    assert.deepEqual([...byHour.keys()].sort(), [10, 11, 12, 13, 14, 15], describe(byHour))
    for (const [hour, t] of byHour) {
      assert.ok(t.n > 900, `${hour}h: ${t.n} bars`)
      assert.ok(Math.abs(t.in80 / t.n - 0.8) <= 0.03, `seed ${seed}: ${describe(byHour)}`)
      assert.ok(Math.abs(t.in95 / t.n - 0.95) <= 0.03, `seed ${seed}: ${describe(byHour)}`)
    }
  }
})

test('without it (decay 1) the calm midday hours are over-covered and the last hour under-covered', () => {
  const byHour = coverageByHour(resolveTrainerOptions({ models: [naiveModel], timeOfDayDecay: 1 }), 1)
  const rate = (hour: number) => byHour.get(hour)!.in80 / byHour.get(hour)!.n
  assert.ok(rate(12) > 0.9, describe(byHour))
  assert.ok(rate(15) < 0.7, describe(byHour))
})

test('an intraday trainer restored from its snapshot mid-stream continues exactly: the profile travels with it', () => {
  const options = resolveTrainerOptions()
  const rows = syntheticIntradayRows({
    sigmaOfHour: (hour) => SMILE[hour] ?? 0.005,
    interval: '1h',
    bars: 1_500,
    seed: 7,
    startMs: Date.UTC(2021, 0, 4, 14, 30),
  })
  const live = createTrainerState(options, 'SYN', '1h')
  for (const row of rows.slice(0, 1_000)) trainStep(options, live, row)
  assert.ok(live.timeOfDay.some((mean) => !Number.isNaN(mean)))
  const decoded = decodeModelSnapshot(encodeModelSnapshot(live))
  assert.ok(decoded.ok)
  assert.deepEqual(
    decoded.value.timeOfDay,
    Array.from(live.timeOfDay, (v) => (Number.isNaN(v) ? null : v)),
  )
  const restored = fromSnapshot(options, decoded.value)
  assert.ok(restored.ok)
  for (const row of rows.slice(1_000)) {
    assert.deepEqual(
      trainStep(options, restored.value, row).prediction,
      trainStep(options, live, row).prediction,
    )
  }
})
