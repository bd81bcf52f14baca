import assert from 'node:assert/strict'
import { test } from 'node:test'
import { applySteps } from '../../../../test/fixtures/predictor/apply-steps.ts'
import { realSeriesSteps } from '../../../../test/fixtures/predictor/real-series-steps.ts'
import { createViews } from '../views/create-views.ts'
import { createLatestPredictionBodies } from './latest-prediction-body.ts'

test('the latest prediction body is one frozen copy until a new bar or prediction arrives', () => {
  const steps = realSeriesSteps('AAPL', 80)
  const views = createViews({ maxBarsPerSymbol: 100 })
  applySteps(views, steps.slice(0, -1), 0)
  const view = views.get('AAPL')!
  const latestBody = createLatestPredictionBodies()

  const first = latestBody(view)!
  assert.equal(latestBody(view), first)
  const { schema: _schema, ...fields } = view.predictions.last()!
  assert.deepEqual(first, { ...fields, dataAsOf: view.bars.last()!.start })
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.intervals.p80) && Object.isFrozen(first.model))
  assert.ok(!Object.isFrozen(view.predictions.last()!.intervals), 'the view itself is not frozen')

  const last = steps.at(-1)!
  views.apply({ kind: 'bar', bar: last.bar }, 0)
  const afterBar = latestBody(view)!
  assert.notEqual(afterBar, first)
  assert.equal(afterBar.dataAsOf, last.bar.start)
  assert.equal(afterBar.forBarStart, first.forBarStart)
  views.apply({ kind: 'prediction', prediction: last.prediction! }, 0)
  assert.equal(latestBody(view)!.forBarStart, last.prediction!.forBarStart)
  assert.equal(latestBody(view), latestBody(view))
})

test('no body for a symbol without a prediction', () => {
  const views = createViews({ maxBarsPerSymbol: 10 })
  views.apply({ kind: 'bar', bar: realSeriesSteps('AAPL', 1)[0]!.bar }, 0)
  assert.equal(createLatestPredictionBodies()(views.get('AAPL')!), undefined)
})
