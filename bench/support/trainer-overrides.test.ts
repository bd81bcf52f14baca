import assert from 'node:assert/strict'
import { test } from 'node:test'
import { resolveTrainerOptions } from '../../src/core/training/trainer-options.ts'
import { parseTrainerOverrides } from './trainer-overrides.ts'

test('overrides of the trainer numbers, its band and its serving rule are read and resolve', () => {
  const parsed = parseTrainerOverrides(
    '{"volatilityDecay":0.94,"band":{"aciStep":0.01},"serving":{"maxDm":-1.645}}',
  )
  assert.ok(parsed.ok)
  const options = resolveTrainerOptions(parsed.value)
  assert.equal(options.volatilityDecay, 0.94)
  assert.equal(options.band.aciStep, 0.01)
  assert.equal(options.band.quantileStep, resolveTrainerOptions().band.quantileStep)
  assert.equal(options.serving.maxDm, -1.645)
})

test('a misspelt, non-numeric or out-of-range option is refused by name, as is text that is not an object', () => {
  const errorOf = (text: string): string => {
    const parsed = parseTrainerOverrides(text)
    assert.ok(!parsed.ok, text)
    return parsed.error
  }
  assert.match(errorOf('{"volatilityDecy":0.9}'), /volatilityDecy is not one of volatilityDecay/)
  assert.match(errorOf('{"volatilityDecay":3}'), /volatilityDecay must be in \(0, 1\], not 3/)
  assert.match(errorOf('{"warmupBars":"20"}'), /warmupBars is not a number/)
  assert.match(errorOf('{"band":{"aciStp":0.01}}'), /band\.aciStp is not one of/)
  assert.match(
    errorOf('{"serving":{"baselineId":"rls"}}'),
    /serving\.baselineId is not one of minScoredBars, maxDm/,
  )
  assert.match(errorOf('[0.94]'), /not a JSON object/)
  assert.match(errorOf('nope'), /is not JSON/)
})
