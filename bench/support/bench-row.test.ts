import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatSpread, spreadVerdict } from './bench-row.ts'

const atLeastOne = (ratio: number): boolean => ratio >= 1

test('a goal is met only when every round clears it, not when the median does', () => {
  assert.equal(spreadVerdict([1.3, 1.1, 1.02], atLeastOne), 'met')
  // The median (1.1) clears the goal, one round does not.
  assert.equal(spreadVerdict([1.3, 1.1, 0.95], atLeastOne), 'missed')
  assert.equal(spreadVerdict([0.5, 0.6, 0.7], atLeastOne), 'missed')
})

test('a goal with no round, or a round that could not be measured, gets no verdict', () => {
  assert.equal(spreadVerdict([], atLeastOne), 'info')
  assert.equal(spreadVerdict([1.2, Number.NaN, 1.3], atLeastOne), 'info')
  assert.equal(spreadVerdict([1.2, Number.POSITIVE_INFINITY], atLeastOne), 'info')
})

test('a spread is printed as the median and the whole range, unmeasured rounds left out', () => {
  assert.equal(formatSpread([0.91, 0.8, 0.85]), '0.85× (0.80×–0.91×)')
  assert.equal(formatSpread([1.5, Number.NaN, 1.1, 1.2]), '1.20× (1.10×–1.50×)')
  assert.equal(formatSpread([Number.NaN]), 'n/a')
  assert.equal(formatSpread([]), 'n/a')
})
