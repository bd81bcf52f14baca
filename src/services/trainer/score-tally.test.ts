import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { SCORE } from '../../core/metrics/score-sums.ts'
import { resolveTrainerOptions } from '../../core/training/trainer-options.ts'
import { createTrainerState } from '../../core/training/trainer-state.ts'
import { trainStep } from '../../core/training/train-step.ts'
import { featureRowsOfBars } from '../../../test/support/expected-outputs.ts'
import { bundledSeries } from '../../../test/support/bundled-quotes.ts'
import { createScoreTally } from './score-tally.ts'
import { createTrainerMetrics } from './trainer-metrics.ts'

/** A counter's value per label value (of its one label). */
async function valuesOf(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(name)?.get()
  assert.ok(metric !== undefined, name)
  const values: Record<string, number> = {}
  for (const { labels, value } of metric.values) values[String(Object.values(labels)[0])] = value
  return values
}

test('the counters add up to the score sums of every symbol, whatever the batches', async () => {
  const trainerOptions = resolveTrainerOptions()
  const ids = trainerOptions.models.map((model) => model.id)
  const registry = new Registry()
  const metrics = createTrainerMetrics(registry)
  const tally = createScoreTally(ids)
  const series = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
  const rows = series.map(({ bars }) => featureRowsOfBars(bars.slice(0, 700)))
  const states = rows.map((symbolRows) => createTrainerState(trainerOptions, symbolRows[0]!.symbol, '1d'))
  for (let k = 0; k < 700; k++) {
    for (const [index, state] of states.entries()) {
      tally.before(state)
      trainStep(trainerOptions, state, rows[index]![k]!)
      // A replayed row is stale and adds nothing.
      trainStep(trainerOptions, state, rows[index]![k]!)
      tally.after(state)
    }
    if (k % 97 === 0) tally.flush(metrics)
  }
  tally.flush(metrics)

  const sumOf = (pick: (state: (typeof states)[number]) => number) =>
    states.reduce((sum, state) => sum + pick(state), 0)
  const absError = await valuesOf(registry, 'quotecast_model_abs_error_total')
  const naiveAbsError = await valuesOf(registry, 'quotecast_model_naive_abs_error_total')
  for (const [i, id] of ids.entries()) {
    const expected = sumOf((state) => state.models[i]!.scores[SCORE.sumAbsError]!)
    const expectedNaive = sumOf((state) => state.models[i]!.scores[SCORE.sumNaiveAbsError]!)
    assert.ok(expected > 0 && Math.abs((absError[id] ?? 0) - expected) < 1e-12 * expected, id)
    assert.ok(Math.abs((naiveAbsError[id] ?? 0) - expectedNaive) < 1e-12 * expectedNaive, id)
  }
  const outcomes = sumOf((state) => state.servedScores[SCORE.n]!)
  assert.ok(outcomes > 1000)
  assert.deepEqual(await valuesOf(registry, 'quotecast_interval_outcomes_total'), {
    '0.8': outcomes,
    '0.95': outcomes,
  })
  assert.deepEqual(await valuesOf(registry, 'quotecast_interval_hits_total'), {
    '0.8': sumOf((state) => state.servedScores[SCORE.hits80]!),
    '0.95': sumOf((state) => state.servedScores[SCORE.hits95]!),
  })
})

test('a batch that scored nothing leaves the counters without a series', async () => {
  const registry = new Registry()
  const metrics = createTrainerMetrics(registry)
  const trainerOptions = resolveTrainerOptions()
  const tally = createScoreTally(trainerOptions.models.map((model) => model.id))
  const state = createTrainerState(trainerOptions, 'AAPL', '1d')
  const [row] = featureRowsOfBars((await bundledSeries('aapl')).bars.slice(0, 1))
  tally.before(state)
  trainStep(trainerOptions, state, row!)
  tally.after(state)
  tally.flush(metrics)
  assert.deepEqual(await valuesOf(registry, 'quotecast_model_abs_error_total'), {})
  assert.deepEqual(await valuesOf(registry, 'quotecast_interval_outcomes_total'), {})
})
