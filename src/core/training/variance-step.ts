import { oneMinusDecayPower } from '../model/decay-power.ts'
import { EWMA_VOLATILITY } from '../model/ewma-volatility.ts'
import { qlike } from '../model/variance-models.ts'
import { dieboldMariano } from '../metrics/diebold-mariano.ts'
import type { TrainerOptions } from './trainer-options.ts'
import {
  SIGMA_TILT as T,
  VARIANCE_SCORE as V,
  type TrainerState,
  type VarianceSlot,
} from './trainer-state.ts'
import { withoutNegativeZero } from '../model/without-negative-zero.ts'

/** |ln σ/σ̄| beyond this is taken as this: the tilt stays bounded whatever a crash does. */
const MAX_TILT_Z = 3
const MAX_KAPPA = 1.5

/**
 * Scores every variance slot's pending forecast by QLIKE against the realised return `r`, in
 * place; a challenger's loss differential against EWMA counts only bars where both forecast.
 */
export function scoreVariances(options: TrainerOptions, state: TrainerState, r: number): void {
  const { variances } = state
  const floor = options.sigmaFloor * options.sigmaFloor
  const baseline = variances[0]!.scores
  const baselinePending = baseline[V.pending]!
  if (Number.isNaN(baselinePending)) return
  const baselineLoss = qlike(Math.max(floor, baselinePending), r)
  baseline[V.n] = baseline[V.n]! + 1
  for (let i = 1; i < variances.length; i++) {
    const scores = variances[i]!.scores
    const pending = scores[V.pending]!
    if (Number.isNaN(pending)) continue
    const loss = qlike(Math.max(floor, pending), r)
    const d = loss - baselineLoss
    const n = scores[V.n]! + 1
    scores[V.n] = n
    scores[V.sumLossDiff] = scores[V.sumLossDiff]! + d
    scores[V.sumLossDiffSq] = scores[V.sumLossDiffSq]! + d * d
    const recent = scores[V.recentLossDiff]!
    scores[V.recentLossDiff] = withoutNegativeZero(
      recent + ((d - recent) * (1 - options.recentDecay)) / oneMinusDecayPower(options.recentDecay, n),
    )
  }
}

/** Updates every challenger with the bar just closed, in place (EWMA is `volatility`, updated apart). */
export function updateVariances(state: TrainerState, r: number, rangeVariance: number): void {
  const { variances } = state
  for (let i = 1; i < variances.length; i++) {
    const slot = variances[i]!
    slot.spec?.update(slot.state, r, rangeVariance)
  }
}

/** DM of a challenger's QLIKE against EWMA since it started; null while undefined. */
export function varianceDm(slot: VarianceSlot): number | null {
  const { scores } = slot
  return dieboldMariano(scores[V.n]!, scores[V.sumLossDiff]!, scores[V.sumLossDiffSq]!)
}

/**
 * Forecasts the next bar's variance with every slot, picks the served one by the point forecast's
 * honesty rule (EWMA unless a challenger with a forecast and ≥ `minScoredBars` scored bars beats it
 * by QLIKE with DM ≤ `maxDm` and recently; then the lowest recent loss), in place. Returns σ for
 * the next band: NaN while the EWMA is warming up.
 */
export function forecastVariances(options: TrainerOptions, state: TrainerState): number {
  const { variances, volatility } = state
  const isWarm = volatility[EWMA_VOLATILITY.count]! >= options.warmupBars
  variances[0]!.scores[V.pending] = isWarm ? volatility[EWMA_VOLATILITY.variance]! : Number.NaN
  let served = 0
  let best = 0
  for (let i = 1; i < variances.length; i++) {
    const slot = variances[i]!
    // A pool averages the forecasts just made above it rather than asking its members again.
    const forecast =
      slot.spec === null
        ? Number.NaN
        : slot.spec.pooled === true
          ? meanPending(variances, i)
          : slot.spec.forecast(slot.state, 1)
    const pending = isWarm && forecast > 0 && Number.isFinite(forecast) ? forecast : Number.NaN
    slot.scores[V.pending] = pending
    if (Number.isNaN(pending)) continue
    const recent = slot.scores[V.recentLossDiff]!
    if (slot.scores[V.n]! < options.serving.minScoredBars || recent >= best) continue
    const dm = varianceDm(slot)
    if (dm !== null && dm <= options.serving.maxDm) {
      best = recent
      served = i
    }
  }
  state.servedVariance = served
  recordTiltZ(options, state)
  return servedSigma(options, state)
}

/** Adds a realised return to the σ-tilt's long-run mean square, in place. */
export function addToSigmaTilt(state: TrainerState, r: number): void {
  const tilt = state.variances[0]!.state
  tilt[T.count] = tilt[T.count]! + 1
  tilt[T.sumSq] = tilt[T.sumSq]! + r * r
}

/**
 * Learns κ from whether the published band missed, in place: κ += η Σ_level (miss − α) z, with
 * z = ln(σ/σ̄) of the σ the band was made with. Misses more often than α where σ is low (z < 0)
 * lower κ, which widens the calm bands and narrows the volatile ones; the fixed point is misses
 * uncorrelated with z, the first-order condition for coverage that holds in every σ-fifth. The
 * conformal band's ACI still pins the overall rate.
 */
export function learnSigmaTilt(
  options: TrainerOptions,
  state: TrainerState,
  absError: number,
  half80: number,
  half95: number,
): void {
  const tilt = state.variances[0]!.state
  const z = tilt[T.pendingZ]!
  if (options.sigmaTiltStep === 0 || Number.isNaN(z)) return
  const miss80 = absError > half80 ? 1 : 0
  const miss95 = absError > half95 ? 1 : 0
  const next = tilt[T.kappa]! + options.sigmaTiltStep * (miss80 - 0.2 + miss95 - 0.05) * z
  tilt[T.kappa] = withoutNegativeZero(Math.min(MAX_KAPPA, Math.max(0, next)))
}

/** σ of the next band from the served variance forecast, tilted and floored; NaN while warming up. */
export function servedSigma(options: TrainerOptions, state: TrainerState): number {
  if (state.volatility[EWMA_VOLATILITY.count]! < options.warmupBars) return Number.NaN
  const pending = state.variances[state.servedVariance]?.scores[V.pending] ?? Number.NaN
  const variance = Number.isNaN(pending) ? state.volatility[EWMA_VOLATILITY.variance]! : pending
  const tilt = state.variances[0]!.state
  const kappa = tilt[T.kappa]!
  const longRun = tilt[T.count]! > 0 ? tilt[T.sumSq]! / tilt[T.count]! : 0
  if (kappa === 1 || !(longRun > 0) || !(variance > 0)) {
    return Math.max(options.sigmaFloor, Math.sqrt(variance))
  }
  const z = Math.min(MAX_TILT_Z, Math.max(-MAX_TILT_Z, 0.5 * Math.log(variance / longRun)))
  return Math.max(options.sigmaFloor, Math.sqrt(longRun) * Math.exp(kappa * z))
}

/**
 * σ of the sum of the next `horizon` returns: the band's one-bar σ scaled by the served variance
 * model's term structure, √(V_h / V_1) (EWMA's is flat: √h).
 */
export function servedSigmaAhead(state: TrainerState, sigma: number, horizon: number): number {
  const slot = state.variances[state.servedVariance]
  const oneBar = slot?.scores[V.pending] ?? Number.NaN
  const ahead =
    slot?.spec == null || !(oneBar > 0) ? Number.NaN : varianceForecast(state, state.servedVariance, horizon)
  const ratio = Number.isFinite(ahead) && ahead > 0 ? ahead / oneBar : horizon
  return sigma * Math.sqrt(ratio)
}

/**
 * A variance model's forecast of the variance of the next `horizon` returns: EWMA's is flat,
 * h·σ² of its pending variance; a pool's is the mean of those of the slots before it that have one.
 */
export function varianceForecast(state: TrainerState, at: number, horizon: number): number {
  const slot = state.variances[at]!
  if (slot.spec === null) return horizon * slot.scores[V.pending]!
  if (slot.spec.pooled !== true) return slot.spec.forecast(slot.state, horizon)
  let sum = 0
  let count = 0
  for (let i = 0; i < at; i++) {
    const forecast = varianceForecast(state, i, horizon)
    if (forecast > 0 && Number.isFinite(forecast)) {
      sum += forecast
      count++
    }
  }
  return count === 0 ? Number.NaN : sum / count
}

/** The mean of the positive pending forecasts of the slots before `at`; NaN when none. */
function meanPending(variances: readonly VarianceSlot[], at: number): number {
  let sum = 0
  let count = 0
  for (let i = 0; i < at; i++) {
    const pending = variances[i]!.scores[V.pending]!
    if (!(pending > 0)) continue
    sum += pending
    count++
  }
  return count === 0 ? Number.NaN : sum / count
}

/** Records z = ln(σ/σ̄) of the σ the next band is made with, for `learnSigmaTilt`, in place. */
function recordTiltZ(options: TrainerOptions, state: TrainerState): void {
  const tilt = state.variances[0]!.state
  const pending = state.variances[state.servedVariance]?.scores[V.pending] ?? Number.NaN
  const variance = Number.isNaN(pending) ? state.volatility[EWMA_VOLATILITY.variance]! : pending
  const longRun = tilt[T.count]! > 0 ? tilt[T.sumSq]! / tilt[T.count]! : 0
  tilt[T.pendingZ] =
    state.volatility[EWMA_VOLATILITY.count]! >= options.warmupBars && longRun > 0 && variance > 0
      ? Math.min(MAX_TILT_Z, Math.max(-MAX_TILT_Z, 0.5 * Math.log(variance / longRun)))
      : Number.NaN
}
