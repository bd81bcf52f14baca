/**
 * Challengers to the EWMA variance (the "naive" of volatility): each forecasts the variance of the
 * next bar's log return from a state of a fixed number of doubles, changed in place. Every state is
 * a view into the symbol's one buffer (see `trainer-state.ts`), so the hot path allocates nothing.
 * Parameters were fixed before any look at the bundled series' results (see README.md here).
 */

export interface VarianceSpec {
  readonly id: string
  /** Bumped whenever the state layout or a parameter changes. */
  readonly version: number
  /** Doubles of state. */
  readonly size: number
  init(s: Float64Array): void
  /**
   * Learns from a bar: `r` its log return against the previous close, `rangeVariance` its range
   * variance (`rangeVarianceOf`), NaN when the row carries no open, high and low.
   */
  update(s: Float64Array, r: number, rangeVariance: number): void
  /**
   * Variance of the sum of the next `horizon` log returns (the term structure: 1 is the next bar);
   * NaN while warming up.
   */
  forecast(s: Float64Array, horizon: number): number
}

/** Returns a challenger needs before it forecasts. */
export const VARIANCE_WARMUP = 20

const LN2 = Math.LN2

/**
 * One bar's range variance: (ln O/C₋₁)² + ½(ln H/L)² − (2 ln 2 − 1)(ln C/O)², the overnight jump
 * plus Garman–Klass on the session. NaN when a price is missing.
 */
export function rangeVarianceOf(
  previousClose: number,
  open: number | undefined,
  high: number | undefined,
  low: number | undefined,
  close: number,
): number {
  if (open === undefined || high === undefined || low === undefined) return Number.NaN
  const overnight = Math.log(open / previousClose)
  const hl = Math.log(high / low)
  const co = Math.log(close / open)
  const gk = 0.5 * hl * hl - (2 * LN2 - 1) * co * co
  const value = overnight * overnight + Math.max(0, gk)
  return Number.isFinite(value) ? value : Number.NaN
}

/**
 * GARCH(1,1) with variance targeting, h_{t+1} = (1 − α − β) v̄ + α r_t² + β h_t, v̄ the expanding
 * mean of r², estimated by quasi-maximum likelihood over a fixed grid of (α, α + β), refit at every
 * bar on the expanding window: each candidate keeps its own h and its Gaussian quasi-log-likelihood
 * Σ(ln h + r²/h); the forecast is the best candidate's. Exact QML over the grid, O(grid) per bar.
 * Layout: [count, Σr², then per candidate h, Σloss].
 */
const GARCH_ALPHAS = [0.05, 0.1] as const
const GARCH_PERSISTENCE = [0.975, 0.99, 0.997] as const
const GARCH_GRID = GARCH_ALPHAS.flatMap((alpha) => GARCH_PERSISTENCE.map((p) => [alpha, p - alpha] as const))

export const garchVariance: VarianceSpec = {
  id: 'garch',
  version: 1,
  size: 2 + 2 * GARCH_GRID.length,
  init(s) {
    s.fill(0)
  },
  update(s, r) {
    const r2 = r * r
    const count = (s[0] ?? 0) + 1
    const sum = (s[1] ?? 0) + r2
    s[0] = count
    s[1] = sum
    const vbar = sum / count
    if (count < VARIANCE_WARMUP) return
    for (let k = 0; k < GARCH_GRID.length; k++) {
      const [alpha, beta] = GARCH_GRID[k]!
      const at = 2 + 2 * k
      let h = s[at] ?? 0
      if (count === VARIANCE_WARMUP) h = vbar
      else if (h > 0) s[at + 1] = (s[at + 1] ?? 0) + Math.log(h) + r2 / h
      s[at] = Math.max(1e-300, (1 - alpha - beta) * vbar + alpha * r2 + beta * h)
    }
  },
  forecast(s, horizon) {
    const count = s[0] ?? 0
    if (count < VARIANCE_WARMUP || !((s[2] ?? 0) > 0)) return Number.NaN
    let best = 0
    for (let k = 1; k < GARCH_GRID.length; k++) {
      if ((s[3 + 2 * k] ?? 0) < (s[3 + 2 * best] ?? 0)) best = k
    }
    const h = s[2 + 2 * best] ?? 0
    if (horizon === 1) return h
    const vbar = (s[1] ?? 0) / count
    const [alpha, beta] = GARCH_GRID[best]!
    const p = alpha + beta
    // Σ_{k<H} E h_{t+1+k} = H v̄ + (h − v̄)(1 − p^H)/(1 − p)
    return Math.max(1e-300, horizon * vbar + ((h - vbar) * (1 - p ** horizon)) / (1 - p))
  },
}

/**
 * HAR-type: h = a·d + b·w + c·m + (1 − a − b − c)·v̄, with d = r_t², w and m exponentially weighted
 * means of r² whose mean lags match a week (5 bars) and a month (22 bars), v̄ the expanding mean.
 * The weights are learnt online by gradient descent on QLIKE, scale-free (step η(1 − r²/h)·x/h, the
 * ratio clipped at 10 so one crash day does not throw them off), kept ≥ 0 and summing to ≤ 1.
 * Layout: [count, Σr², w, m, a, b, c, d].
 */
const HAR_WEEK = 2 / 3
const HAR_MONTH = 21 / 23
const HAR_STEP = 0.002
const HAR_MAX_RATIO = 10

function harOneStep(s: Float64Array, vbar: number): number {
  const d = s[7] ?? 0
  const a = s[4] ?? 0
  const b = s[5] ?? 0
  const c = s[6] ?? 0
  return Math.max(1e-300, a * d + b * (s[2] ?? 0) + c * (s[3] ?? 0) + (1 - a - b - c) * vbar)
}

export const harVariance: VarianceSpec = {
  id: 'har',
  version: 1,
  size: 8,
  init(s) {
    s.fill(0)
    s[4] = 0.1
    s[5] = 0.35
    s[6] = 0.35
  },
  update(s, r) {
    const r2 = r * r
    const count = (s[0] ?? 0) + 1
    const previousVbar = count > 1 ? (s[1] ?? 0) / (count - 1) : 0
    if (count > VARIANCE_WARMUP) {
      // The forecast made before this return, judged by it.
      const h = harOneStep(s, previousVbar)
      const g = Math.min(HAR_MAX_RATIO, r2 / h) - 1
      let a = (s[4] ?? 0) + (HAR_STEP * g * ((s[7] ?? 0) - previousVbar)) / h
      let b = (s[5] ?? 0) + (HAR_STEP * g * ((s[2] ?? 0) - previousVbar)) / h
      let c = (s[6] ?? 0) + (HAR_STEP * g * ((s[3] ?? 0) - previousVbar)) / h
      a = Math.max(0, a)
      b = Math.max(0, b)
      c = Math.max(0, c)
      const total = a + b + c
      if (total > 1) {
        a /= total
        b /= total
        c /= total
      }
      s[4] = a
      s[5] = b
      s[6] = c
    }
    s[0] = count
    s[1] = (s[1] ?? 0) + r2
    s[2] = count === 1 ? r2 : HAR_WEEK * (s[2] ?? 0) + (1 - HAR_WEEK) * r2
    s[3] = count === 1 ? r2 : HAR_MONTH * (s[3] ?? 0) + (1 - HAR_MONTH) * r2
    s[7] = r2
  },
  forecast(s, horizon) {
    const count = s[0] ?? 0
    if (count < VARIANCE_WARMUP) return Number.NaN
    const vbar = (s[1] ?? 0) / count
    const h = harOneStep(s, vbar)
    if (horizon === 1) return h
    // Beyond a bar the daily term has decayed into the weekly and monthly ones: forecast k steps
    // ahead by letting d, w and m relax towards v̄ at the weekly and monthly rates.
    let total = h
    let w = s[2] ?? 0
    let m = s[3] ?? 0
    const a = s[4] ?? 0
    const b = s[5] ?? 0
    const c = s[6] ?? 0
    let previous = h
    for (let k = 1; k < horizon; k++) {
      w = HAR_WEEK * w + (1 - HAR_WEEK) * previous
      m = HAR_MONTH * m + (1 - HAR_MONTH) * previous
      previous = Math.max(1e-300, a * previous + b * w + c * m + (1 - a - b - c) * vbar)
      total += previous
    }
    return total
  },
}

/**
 * Range-based: an exponentially weighted mean (decay 0.9) of each bar's range variance
 * (`rangeVarianceOf`), scaled to close-to-close returns by the expanding ratio Σr² / Σrange (a range
 * misses what happens between the bars it does not cover and is biased low by discrete sampling).
 * Abstains on rows without open, high and low. Layout: [count, Σr², Σrange, mean].
 */
const RANGE_DECAY = 0.9

export const rangeVariance: VarianceSpec = {
  id: 'range',
  version: 1,
  size: 4,
  init(s) {
    s.fill(0)
  },
  update(s, r, v) {
    if (Number.isNaN(v)) return
    const count = (s[0] ?? 0) + 1
    s[0] = count
    s[1] = (s[1] ?? 0) + r * r
    s[2] = (s[2] ?? 0) + v
    // Bias-corrected, so exact from the first value: the weight is (1 − ρⁿ)/(1 − ρ); ρⁿ < 1e-18
    // past 400 bars. Not `oneMinusDecayPower`: its one table is for the recent-loss decay.
    s[3] =
      (s[3] ?? 0) + ((v - (s[3] ?? 0)) * (1 - RANGE_DECAY)) / (count < 400 ? 1 - RANGE_DECAY ** count : 1)
  },
  forecast(s, horizon) {
    if ((s[0] ?? 0) < VARIANCE_WARMUP || !((s[2] ?? 0) > 0)) return Number.NaN
    return (horizon * (s[3] ?? 0) * (s[1] ?? 0)) / (s[2] ?? 1)
  },
}

/** The challengers, in the order of their scores in a state (EWMA, the baseline, comes first there). */
export const VARIANCE_CHALLENGERS: readonly VarianceSpec[] = [garchVariance, harVariance, rangeVariance]

/** QLIKE of variance forecast h for realised return r, up to a constant: ln h + r²/h. */
export const qlike = (h: number, r: number): number => Math.log(h) + (r * r) / h
