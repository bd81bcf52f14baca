import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  initTimeOfDayProfile,
  learnTimeOfDayProfile,
  TIME_OF_DAY_LENGTH,
  timeOfDayMean,
  timeOfDayScale,
} from './time-of-day-profile.ts'

const freshProfile = (): Float64Array => {
  const profile = new Float64Array(TIME_OF_DAY_LENGTH)
  initTimeOfDayProfile(profile)
  return profile
}

test('a fresh profile scales every hour by 1', () => {
  const profile = freshProfile()
  assert.ok(Number.isNaN(timeOfDayMean(profile)))
  for (let hour = -1; hour <= TIME_OF_DAY_LENGTH; hour++)
    assert.equal(timeOfDayScale(profile, hour, timeOfDayMean(profile)), 1)
})

test('each hour learns its mean |z| from E|z| of a normal, and the scales are against the mean of the hours seen', () => {
  const profile = freshProfile()
  learnTimeOfDayProfile(profile, 10, 2, 0.5)
  assert.equal(profile[10], Math.sqrt(2 / Math.PI) + 0.5 * (2 - Math.sqrt(2 / Math.PI)))
  for (let bar = 0; bar < 80; bar++) {
    learnTimeOfDayProfile(profile, 10, 2, 0.5)
    learnTimeOfDayProfile(profile, 12, 0.5, 0.5)
  }
  const mean = timeOfDayMean(profile)
  assert.ok(Math.abs(mean - 1.25) < 1e-12, `mean ${mean}`)
  assert.ok(Math.abs(timeOfDayScale(profile, 10, mean) - 1.6) < 1e-12)
  assert.ok(Math.abs(timeOfDayScale(profile, 12, mean) - 0.4) < 1e-12)
  // An hour not seen yet keeps the day's average.
  assert.equal(timeOfDayScale(profile, 11, mean), 1)
})

test('a shock counts as |z| = 5 at most', () => {
  const profile = freshProfile()
  learnTimeOfDayProfile(profile, 9, 40, 0.9)
  assert.equal(profile[9], Math.sqrt(2 / Math.PI) + (1 - 0.9) * (5 - Math.sqrt(2 / Math.PI)))
})

test('a non-finite |z| or an hour outside the day changes nothing', () => {
  const profile = freshProfile()
  learnTimeOfDayProfile(profile, 3, Number.NaN, 0.9)
  learnTimeOfDayProfile(profile, 3, Number.POSITIVE_INFINITY, 0.9)
  learnTimeOfDayProfile(profile, -1, 1, 0.9)
  learnTimeOfDayProfile(profile, TIME_OF_DAY_LENGTH, 1, 0.9)
  assert.ok(profile.every((value) => Number.isNaN(value)))
})
