import assert from 'node:assert/strict'
import { test } from 'node:test'
import { summariseScores } from '../metrics/summarise-scores.ts'
import { summariseIntervalSums } from '../metrics/summarise-interval-sums.ts'
import { seededRandom } from '../../../test/fixtures/seeded-random.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { evaluateSeries } from './evaluate-series.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'

const random = seededRandom(21)
const closes = [50]
for (let t = 0; t < 400; t++) closes.push(closes.at(-1)! * Math.exp(0.015 * random.normal()))
const rows = syntheticFeatureRows(closes)
const trainerOptions = resolveTrainerOptions()

test('without a window, the scores are the trainer state’s own running scores', () => {
  const result = evaluateSeries(trainerOptions, rows)
  result.state.models.forEach((slot, i) => {
    const { model, kind, servedShare, ...scores } = result.models[i]!
    assert.equal(model, slot.id)
    assert.equal(kind, slot.spec.kind)
    assert.equal(servedShare, slot.id === 'naive' ? 1 : 0)
    assert.deepEqual(scores, summariseScores(slot.scores))
  })
  assert.deepEqual(result.servedStream, summariseScores(result.state.servedScores))
  // The same band sums, the trainer's keeping the recent years only (all the synthetic rows lie in two).
  assert.deepEqual(result.intervals, summariseIntervalSums(result.state.intervalSums))
  assert.equal(result.intervals.n, result.servedStream.n)
  assert.equal(result.predictions.length, rows.length - 20)
})

test('a window scores only its bars and they add up to the whole series', () => {
  const split = rows[200]!.barStart
  const whole = evaluateSeries(trainerOptions, rows)
  const early = evaluateSeries(trainerOptions, rows, { toMs: split })
  const late = evaluateSeries(trainerOptions, rows, { fromMs: split })
  assert.equal(early.servedStream.n + late.servedStream.n, whole.servedStream.n)
  assert.equal(late.firstScoredBarStart, split)
  assert.ok(early.lastScoredBarStart! < split)
  const hits = (r: typeof whole): number => r.servedStream.coverage80! * r.servedStream.n
  assert.ok(Math.abs(hits(early) + hits(late) - hits(whole)) < 1e-9)
})
