import assert from 'node:assert/strict'
import { test } from 'node:test'
import { intervalScoresSchema } from '../contracts/interval-scores.ts'
import {
  addIntervalScore,
  emptyIntervalSums,
  INTERVAL,
  qlikeLoss,
  winklerScore,
  yearStartMs,
} from './interval-sums.ts'
import { summariseIntervalSums } from './summarise-interval-sums.ts'

/** [bar start, predicted, actual, σ, half-width 80 %, half-width 95 %] */
type Bar = readonly [number, number, number, number, number, number]

const bars: readonly Bar[] = [
  // Inside both; r = σ so QLIKE 0. Winkler: the widths 0.0256 and 0.0392.
  [Date.UTC(2019, 5, 3), 0, 0.01, 0.01, 0.0128, 0.0196],
  // Missed by 0.021: outside 80 % by 0.006, inside 95 %. Winkler 0.03 + 10·0.006 = 0.09, and 0.06.
  // r²/σ² = 4: QLIKE 4 − ln 4 − 1.
  [Date.UTC(2019, 11, 31), 0.001, -0.02, 0.01, 0.015, 0.03],
  // 23:00 at −05:00 on 31 Dec 2019 is 2020 in UTC. r = 0: QLIKE floored at r²/σ² = 1e-6.
  [Date.parse('2019-12-31T23:00:00-05:00'), 0, 0, 0.005, 0.0064, 0.0098],
  // Outside both: 0.0768 + 10·(0.12 − 0.0384) = 0.8928, 0.1176 + 40·(0.12 − 0.0588) = 2.5656.
  // r²/σ² = 16: QLIKE 16 − ln 16 − 1.
  [Date.UTC(2020, 2, 16), 0, -0.12, 0.03, 0.0384, 0.0588],
]

const sumsOf = (list: readonly Bar[], years?: number) => {
  const sums = emptyIntervalSums(years)
  for (const bar of list) addIntervalScore(sums, ...bar)
  return sums
}

const close = (actual: number | null | undefined, expected: number, label: string): void => {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-12,
    `${label}: ${actual} vs ${expected}`,
  )
}

test('the Winkler score and QLIKE of single forecasts, by hand', () => {
  close(winklerScore(-0.01, 0.01, 0.005, 0.2), 0.02, 'inside: the width')
  close(winklerScore(-0.01, 0.01, 0.03, 0.2), 0.02 + 10 * 0.02, 'above')
  close(winklerScore(-0.01, 0.01, -0.02, 0.05), 0.02 + 40 * 0.01, 'below')
  assert.equal(qlikeLoss(1e-4, 0.01), 0)
  close(qlikeLoss(1e-4, 0.02), 3 - Math.log(4), 'r²/σ² = 4')
  close(qlikeLoss(1e-4, 0), 1e-6 - Math.log(1e-6) - 1, 'r = 0: the floor')
  assert.ok(Object.is(qlikeLoss(4e-4, -0.02), 0), 'no −0')
})

test('every interval score equals its hand-computed value', () => {
  const scores = summariseIntervalSums(sumsOf(bars))
  assert.equal(scores.n, 4)
  close(scores.winkler80, (0.0256 + 0.09 + 0.0128 + 0.8928) / 4, 'winkler80')
  close(scores.winkler95, (0.0392 + 0.06 + 0.0196 + 2.5656) / 4, 'winkler95')
  const qlike = (3 - Math.log(4) + (1e-6 - Math.log(1e-6) - 1) + 15 - Math.log(16)) / 4
  close(scores.qlike, qlike, 'qlike')
  // σ sorted 0.005, 0.01, 0.01, 0.03: sample quantiles at ranks 0.6, 1.2, 1.8 and 2.4.
  scores.sigmaQuintiles.forEach((q, k) => close(q, [0.008, 0.01, 0.01, 0.018][k]!, `quintile ${k + 1}`))
  // Each bar's fifth by the quintiles once its σ is in: the first three calmest, the 0.03 the most volatile.
  assert.deepEqual(scores.fifths, [
    { n: 3, coverage80: 2 / 3, coverage95: 1 },
    { n: 0, coverage80: null, coverage95: null },
    { n: 0, coverage80: null, coverage95: null },
    { n: 0, coverage80: null, coverage95: null },
    { n: 1, coverage80: 0, coverage95: 0 },
  ])
  assert.deepEqual(scores.years, [
    { year: 2019, n: 2, coverage80: 0.5, coverage95: 1 },
    { year: 2020, n: 2, coverage80: 0.5, coverage95: 0.5 },
  ])
  assert.ok(intervalScoresSchema.safeParse(scores).success)
})

test('no bar scored: every score null, five empty fifths, no year', () => {
  assert.deepEqual(summariseIntervalSums(emptyIntervalSums()), {
    n: 0,
    winkler80: null,
    winkler95: null,
    qlike: null,
    sigmaQuintiles: [],
    fifths: Array.from({ length: 5 }, () => ({ n: 0, coverage80: null, coverage95: null })),
    years: [],
  })
})

test('the year slots keep the most recent years, and a snapshot’s nulls read as NaN', () => {
  const yearly = (year: number): Bar => [Date.UTC(year, 6, 1), 0, 0.01, 0.01, 0.02, 0.03]
  const sums = sumsOf([2016, 2017, 2017, 2018, 2019].map(yearly), 2)
  assert.equal(sums.length, INTERVAL.years + 2 * 4)
  const scores = summariseIntervalSums(sums)
  assert.equal(scores.n, 5)
  assert.deepEqual(
    scores.years.map((y) => [y.year, y.n]),
    [
      [2018, 1],
      [2019, 1],
    ],
  )
  const asJson = Array.from(sums, (x) => (Number.isNaN(x) ? null : x))
  assert.deepEqual(summariseIntervalSums(asJson), scores)
  // A year older than every slot still counts overall and by fifth, not by year.
  addIntervalScore(sums, Date.UTC(2010, 0, 4), 0, 0.01, 0.01, 0.02, 0.03)
  const after = summariseIntervalSums(sums)
  assert.equal(after.n, 6)
  assert.deepEqual(after.years, scores.years)
})

test('on a long stream each σ-fifth holds about a fifth of the bars', () => {
  const sums = emptyIntervalSums()
  for (let i = 0; i < 10_000; i++) {
    const sigma = 0.01 * Math.exp(Math.sin(i * 0.37) + Math.cos(i * 1.91))
    addIntervalScore(sums, Date.UTC(2000, 0, 1) + i * 86_400_000, 0, 0, sigma, sigma, 2 * sigma)
  }
  for (const fifth of summariseIntervalSums(sums).fifths)
    assert.ok(Math.abs(fifth.n / 10_000 - 0.2) < 0.01, String(fifth.n))
})

test('a year starts where Date.UTC says, for every year a bar can be in and around', () => {
  for (let year = 1900; year <= 2400; year++)
    assert.equal(yearStartMs(year), Date.UTC(year, 0, 1), String(year))
})
