import assert from 'node:assert/strict'
import { test } from 'node:test'
import { resolveTrainerOptions } from '../../core/training/trainer-options.ts'
import type { CsvEvaluation } from './evaluate-csv.ts'
import { explainNothingScored } from './explain-nothing-scored.ts'

const DAY = 86_400_000
const options = resolveTrainerOptions()
const of = (fields: Partial<CsvEvaluation>): CsvEvaluation =>
  ({
    interval: '1d',
    rows: 100,
    rowsAfterLongGap: 0,
    firstBarStart: Date.UTC(2020, 0, 1),
    lastBarStart: Date.UTC(2020, 4, 1),
    ...fields,
  }) as CsvEvaluation

test('says why nothing was scored, the window first', () => {
  const cases: [Partial<CsvEvaluation>, { fromMs?: number; toMs?: number }, string][] = [
    [{}, { fromMs: Date.UTC(2021, 0, 1) }, '--from 2021-01-01 is after the last bar (2020-05-01)'],
    [{}, { toMs: Date.UTC(2019, 0, 1) + DAY }, '--to 2019-01-01 is before the first bar (2020-01-01)'],
    [
      { rows: 60, rowsAfterLongGap: 59 },
      {},
      '59 of 59 bars follow a gap of more than 5 1d bars, across which the models do not learn: weekly or monthly data cannot be scored; evaluate needs daily or intraday bars',
    ],
    [{ rows: 10 }, {}, 'only 10 bars: the models need 22 consecutive bars before a first forecast is scored'],
    [
      { interval: '5m', firstBarStart: Date.UTC(2020, 0, 1, 9, 30), lastBarStart: Date.UTC(2020, 0, 1, 16) },
      {},
      'no forecast fell inside the window: the bars run 2020-01-01T09:30Z → 2020-01-01T16:00Z',
    ],
  ]
  for (const [fields, window, why] of cases)
    assert.equal(explainNothingScored(of(fields), window, options), why)
})
