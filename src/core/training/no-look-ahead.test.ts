import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { Bar } from '../contracts/bar.ts'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { evaluateSeries } from './evaluate-series.ts'
import { featureRowsOf } from './feature-rows-of.ts'

const parsed = parseOhlcvCsv(readFileSync(new URL('../../../data/aapl.csv', import.meta.url), 'utf8'), {
  symbol: 'AAPL',
})
assert.ok(parsed.ok)
const bars = parsed.value

/** The same bars up to `cut`, and after it prices and volumes scrambled. */
function perturbAfter(cut: number, seed: number): Bar[] {
  const random = seededRandom(seed)
  return bars.map((bar, i) => {
    if (i <= cut) return bar
    const factor = Math.exp(0.2 * random.normal())
    return {
      ...bar,
      open: bar.open * factor,
      high: bar.high * factor * 1.01,
      low: bar.low * factor * 0.99,
      close: bar.close * factor,
      volume: Math.round(bar.volume * (0.5 + random.uniform())),
    }
  })
}

test('perturbing future bars changes no prediction made before them, from bars through features to models', () => {
  const trainerOptions = resolveTrainerOptions()
  const original = evaluateSeries(trainerOptions, featureRowsOf(bars)).predictions
  for (const [cut, seed] of [
    [300, 1],
    [700, 2],
    [1100, 3],
  ] as const) {
    const perturbed = evaluateSeries(trainerOptions, featureRowsOf(perturbAfter(cut, seed))).predictions
    const cutStart = bars[cut]!.start
    const before = (p: { basedOnBarStart: number }): boolean => p.basedOnBarStart <= cutStart
    assert.deepEqual(perturbed.filter(before), original.filter(before))
    // The perturbation is real: the first prediction that may see it differs.
    const next = (list: typeof original) => list.find((p) => !before(p))
    assert.notDeepEqual(next(perturbed), next(original))
  }
})
