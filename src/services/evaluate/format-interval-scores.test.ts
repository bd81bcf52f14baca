import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatIntervalScores } from './format-interval-scores.ts'

test('the band section: scores, σ-fifths with their σ ranges, then years', () => {
  const empty = { n: 0, coverage80: null, coverage95: null }
  const lines = formatIntervalScores({
    n: 4,
    winkler80: 0.2553,
    winkler95: 0.6711,
    qlike: 6.664157,
    sigmaQuintiles: [0.008, 0.01, 0.01, 0.018],
    fifths: [
      { n: 3, coverage80: 2 / 3, coverage95: 1 },
      empty,
      empty,
      empty,
      { n: 1, coverage80: 0, coverage95: 0 },
    ],
    years: [
      { year: 2019, n: 2, coverage80: 0.5, coverage95: 1 },
      { year: 2020, n: 2, coverage80: 0.5, coverage95: 0.5 },
    ],
  })
  assert.deepEqual(lines, [
    'published band, 4 bars: interval score 25.530% (80 %), 67.110% (95 %); QLIKE 6.6642',
    '',
    'σ-fifth                      σ  n  cov80   cov95',
    '1 calmest            σ ≤ 0.80%  3  66.7%  100.0%',
    '2                0.80% – 1.00%  0      —       —',
    '3                1.00% – 1.00%  0      —       —',
    '4                1.00% – 1.80%  0      —       —',
    '5 most volatile      σ > 1.80%  1   0.0%    0.0%',
    '',
    'year  n  cov80   cov95',
    '2019  2  50.0%  100.0%',
    '2020  2  50.0%   50.0%',
  ])
})
