import { TIME_OF_DAY_SLOTS } from '../schedule/time-of-day-slot.ts'

/**
 * The intraday volatility profile of one symbol, changed in place: per slot of the day (an hour of
 * the exchange's local clock, or a session's open: `time-of-day-slot.ts`) an exponentially
 * weighted mean of |r| / σ̃, a bar's absolute return in units of the deseasonalised σ it was
 * forecast with; NaN for a slot that has seen no bar. Daily bars never touch it.
 */
export type TimeOfDayProfile = Float64Array

/** One number per slot: a 24-hour market fits as well as a session. */
export const TIME_OF_DAY_LENGTH = TIME_OF_DAY_SLOTS

/** E|z| of a standard normal: where a slot's mean starts, so that its first bars move it little. */
const PRIOR_ABS_Z = Math.sqrt(2 / Math.PI)
/**
 * |z| beyond this counts as this: the first bars of a shock, before σ̃ catches up, would otherwise
 * lift their slot's scale for weeks (a t(4) return lies beyond it once in some 500 bars).
 */
const MAX_ABS_Z = 5

export const initTimeOfDayProfile = (profile: TimeOfDayProfile): void => {
  profile.fill(Number.NaN)
}

/** The mean of the slots seen so far; NaN before the first. */
export function timeOfDayMean(profile: TimeOfDayProfile): number {
  let sum = 0
  let seen = 0
  for (let i = 0; i < profile.length; i++) {
    const value = profile[i]!
    if (Number.isNaN(value)) continue
    sum += value
    seen += 1
  }
  return seen === 0 ? Number.NaN : sum / seen
}

/**
 * σ of a bar in `slot` against the day's average: the slot's mean |r|/σ̃ over `mean`, the mean of
 * the slots seen (`timeOfDayMean`), so the scales average 1 and the variance models keep the
 * level. 1 for a slot not seen yet.
 */
export function timeOfDayScale(profile: TimeOfDayProfile, slot: number, mean: number): number {
  const own = slot >= 0 && slot < profile.length ? profile[slot]! : Number.NaN
  return Number.isNaN(own) || !(mean > 0) ? 1 : own / mean
}

/**
 * Learns from one bar of `slot` whose absolute return was `absZ` deseasonalised σ's, in place: the
 * slot's mean moves by (1 − decay) of the difference (|z| capped at 5), from E|z| at its first bar.
 * Nothing for a non-finite `absZ`.
 */
export function learnTimeOfDayProfile(
  profile: TimeOfDayProfile,
  slot: number,
  absZ: number,
  decay: number,
): void {
  if (!(slot >= 0 && slot < profile.length) || !Number.isFinite(absZ)) return
  const mean = Number.isNaN(profile[slot]!) ? PRIOR_ABS_Z : profile[slot]!
  profile[slot] = mean + (1 - decay) * (Math.min(MAX_ABS_Z, absZ) - mean)
}
