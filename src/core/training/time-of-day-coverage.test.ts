import assert from 'node:assert/strict'
import { test } from 'node:test'
import { naiveModel } from '../model/naive-model.ts'
import { EXCHANGE_CALENDARS } from '../schedule/exchange-calendars.ts'
import { timeOfDaySlotLabel, timeOfDaySlotOf } from '../schedule/time-of-day-slot.ts'
import { syntheticIntradayRows } from '../../../test/fixtures/training/synthetic-intraday-rows.ts'
import { resolveTrainerOptions, type TrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { decodeModelSnapshot, encodeModelSnapshot } from './model-snapshot-codec.ts'
import { fromSnapshot } from './trainer-snapshot.ts'

// An intraday volatility smile (the first hour and the last over twice the midday σ), and a night
// whose return comes with the 09:30 bar.
const OVERNIGHT = 0.006
const SMILE: Readonly<Record<number, number>> = {
  9: 0.008,
  10: 0.005,
  11: 0.004,
  12: 0.003,
  13: 0.0035,
  14: 0.005,
  15: 0.007,
}

type Tally = { n: number; in80: number; in95: number }

/** Coverage of the published 80 and 95 % bands by slot of the day, over hourly bars of 1,000 sessions. */
function coverageBySlot(options: TrainerOptions, seed: number): Map<number, Tally> {
  const rows = syntheticIntradayRows({
    sigmaOfHour: (hour) => SMILE[hour] ?? 0.005,
    overnightSigma: OVERNIGHT,
    interval: '1h',
    bars: 7_000,
    seed,
    startMs: Date.UTC(2021, 0, 4, 14, 30),
  })
  const bySlot = new Map<number, Tally>()
  let state = createTrainerState(options, 'SYN', '1h')
  for (const [index, row] of rows.entries()) {
    const { state: next, scored } = trainStep(options, state, row, true)
    state = next
    // The first 70 sessions let the profile learn; every bar after them is scored.
    if (scored === null || index < 490) continue
    const served = scored.forecasts.find((forecast) => forecast.id === scored.served)!
    const error = Math.abs(scored.actual - served.predicted)
    const slot = timeOfDaySlotOf(EXCHANGE_CALENDARS.US, row.barStart)
    const tally = bySlot.get(slot) ?? { n: 0, in80: 0, in95: 0 }
    tally.n += 1
    tally.in80 += error <= served.half80 ? 1 : 0
    tally.in95 += error <= served.half95 ? 1 : 0
    bySlot.set(slot, tally)
  }
  return bySlot
}

const describe = (bySlot: Map<number, Tally>): string =>
  [...bySlot]
    .sort(([a], [b]) => a - b)
    .map(([slot, t]) => {
      const percent = (hits: number) => ((100 * hits) / t.n).toFixed(1)
      return `${timeOfDaySlotLabel(slot)} ${percent(t.in80)}/${percent(t.in95)} %`
    })
    .join(', ')

test('with the time-of-day profile every hour of the session, and the open after the night, is covered at 80 and 95 % ± 3 points', () => {
  const options = resolveTrainerOptions({ models: [naiveModel] })
  for (const seed of [1, 2]) {
    const bySlot = coverageBySlot(options, seed)
    // The 09:30 bar is the session's open (slot 24): its return spans the night.
    assert.deepEqual(
      [...bySlot.keys()].sort((a, b) => a - b),
      [10, 11, 12, 13, 14, 15, 24],
      describe(bySlot),
    )
    for (const [slot, t] of bySlot) {
      assert.ok(t.n > 900, `${timeOfDaySlotLabel(slot)}: ${t.n} bars`)
      assert.ok(Math.abs(t.in80 / t.n - 0.8) <= 0.03, `seed ${seed}: ${describe(bySlot)}`)
      assert.ok(Math.abs(t.in95 / t.n - 0.95) <= 0.03, `seed ${seed}: ${describe(bySlot)}`)
    }
  }
})

test('without it (decay 1) the calm midday hours are over-covered and the open and the last hour under-covered', () => {
  const bySlot = coverageBySlot(resolveTrainerOptions({ models: [naiveModel], timeOfDayDecay: 1 }), 1)
  const rate = (slot: number) => bySlot.get(slot)!.in80 / bySlot.get(slot)!.n
  assert.ok(rate(12) > 0.9, describe(bySlot))
  assert.ok(rate(15) < 0.7, describe(bySlot))
  assert.ok(rate(24) < 0.7, describe(bySlot))
})

test('an intraday trainer restored from its snapshot mid-stream continues exactly: the profile travels with it', () => {
  const options = resolveTrainerOptions()
  const rows = syntheticIntradayRows({
    sigmaOfHour: (hour) => SMILE[hour] ?? 0.005,
    overnightSigma: OVERNIGHT,
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
