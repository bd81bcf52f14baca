/**
 * Challengers to the EWMA variance (the "naive" of volatility): each forecasts the variance of the
 * next bar's log return from a state of a fixed number of doubles, changed in place. Every state is
 * a view into the symbol's one buffer (see `trainer-state.ts`), so the hot path allocates nothing.
 * Parameters were fixed before any look at the bundled series' results (see README.md here); the
 * range model's HAR form and the pool were made the default by rules written before their runs
 * (docs/benchmarks.md).
 */

export interface VarianceSpec {
  readonly id: string
  /** A combination (`poolVariance`): its forecast is the mean of those of the models before it. */
  readonly pooled?: boolean
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
 */
const GARCH_ALPHAS = [0.05, 0.1] as const
const GARCH_PERSISTENCE = [0.975, 0.99, 0.997] as const
const GARCH_GRID = GARCH_ALPHAS.flatMap((alpha) => GARCH_PERSISTENCE.map((p) => [alpha, p - alpha] as const))

/** The returns seen and Σr², then per candidate k its h at `candidates + 2k` and its Σloss after it. */
export const GARCH_SLOT = { count: 0, sumSq: 1, candidates: 2 } as const

export const garchVariance: VarianceSpec = {
  id: 'garch',
  version: 1,
  size: GARCH_SLOT.candidates + 2 * GARCH_GRID.length,
  init(s) {
    s.fill(0)
  },
  update(s, r) {
    const r2 = r * r
    const count = s[GARCH_SLOT.count]! + 1
    const sum = s[GARCH_SLOT.sumSq]! + r2
    s[GARCH_SLOT.count] = count
    s[GARCH_SLOT.sumSq] = sum
    const vbar = sum / count
    if (count < VARIANCE_WARMUP) return
    for (let k = 0; k < GARCH_GRID.length; k++) {
      const [alpha, beta] = GARCH_GRID[k]!
      const at = GARCH_SLOT.candidates + 2 * k
      let h = s[at]!
      if (count === VARIANCE_WARMUP) h = vbar
      else if (h > 0) s[at + 1] = s[at + 1]! + Math.log(h) + r2 / h
      s[at] = Math.max(1e-300, (1 - alpha - beta) * vbar + alpha * r2 + beta * h)
    }
  },
  forecast(s, horizon) {
    const count = s[GARCH_SLOT.count]!
    if (count < VARIANCE_WARMUP || !(s[GARCH_SLOT.candidates]! > 0)) return Number.NaN
    const losses = GARCH_SLOT.candidates + 1
    let best = 0
    for (let k = 1; k < GARCH_GRID.length; k++) {
      if (s[losses + 2 * k]! < s[losses + 2 * best]!) best = k
    }
    const h = s[GARCH_SLOT.candidates + 2 * best]!
    if (horizon === 1) return h
    const vbar = s[GARCH_SLOT.sumSq]! / count
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
 * The range model runs the same recursion on the bar's range variance (`rangeVariance`).
 */
const HAR_WEEK = 2 / 3
const HAR_MONTH = 21 / 23
const HAR_STEP = 0.002
const HAR_MAX_RATIO = 10

/**
 * The rows learnt from, Σr², w, m, the weights a, b and c, d (the last input), and for the range
 * model Σrange.
 */
export const HAR_SLOT = {
  count: 0,
  sumSq: 1,
  week: 2,
  month: 3,
  a: 4,
  b: 5,
  c: 6,
  day: 7,
  sumRange: 8,
} as const

function initHar(s: Float64Array): void {
  s.fill(0)
  s[HAR_SLOT.a] = 0.1
  s[HAR_SLOT.b] = 0.35
  s[HAR_SLOT.c] = 0.35
}

/** The one-bar forecast from d, w and m in r² units (each its input times `scale`). */
function harOneStep(s: Float64Array, scale: number, vbar: number): number {
  const a = s[HAR_SLOT.a]!
  const b = s[HAR_SLOT.b]!
  const c = s[HAR_SLOT.c]!
  const d = scale * s[HAR_SLOT.day]!
  const w = scale * s[HAR_SLOT.week]!
  const m = scale * s[HAR_SLOT.month]!
  return Math.max(1e-300, a * d + b * w + c * m + (1 - a - b - c) * vbar)
}

/**
 * Learns from a bar: `r2` its squared return, `x` the HAR's input (r² itself, or the range
 * variance), `scale` what turns the inputs so far into r² units (1, or Σr²/Σrange before this bar).
 */
function updateHar(s: Float64Array, r2: number, x: number, scale: number): void {
  const count = s[HAR_SLOT.count]! + 1
  if (count > VARIANCE_WARMUP && scale > 0) {
    // The forecast made before this return, judged by it.
    const previousVbar = s[HAR_SLOT.sumSq]! / (count - 1)
    const h = harOneStep(s, scale, previousVbar)
    const g = Math.min(HAR_MAX_RATIO, r2 / h) - 1
    let a = s[HAR_SLOT.a]! + (HAR_STEP * g * (scale * s[HAR_SLOT.day]! - previousVbar)) / h
    let b = s[HAR_SLOT.b]! + (HAR_STEP * g * (scale * s[HAR_SLOT.week]! - previousVbar)) / h
    let c = s[HAR_SLOT.c]! + (HAR_STEP * g * (scale * s[HAR_SLOT.month]! - previousVbar)) / h
    a = Math.max(0, a)
    b = Math.max(0, b)
    c = Math.max(0, c)
    const total = a + b + c
    if (total > 1) {
      a /= total
      b /= total
      c /= total
    }
    s[HAR_SLOT.a] = a
    s[HAR_SLOT.b] = b
    s[HAR_SLOT.c] = c
  }
  s[HAR_SLOT.count] = count
  s[HAR_SLOT.sumSq] = s[HAR_SLOT.sumSq]! + r2
  s[HAR_SLOT.week] = count === 1 ? x : HAR_WEEK * s[HAR_SLOT.week]! + (1 - HAR_WEEK) * x
  s[HAR_SLOT.month] = count === 1 ? x : HAR_MONTH * s[HAR_SLOT.month]! + (1 - HAR_MONTH) * x
  s[HAR_SLOT.day] = x
}

/** Variance of the sum of the next `horizon` returns, the inputs times `scale` in r² units. */
function harForecast(s: Float64Array, scale: number, horizon: number): number {
  const count = s[HAR_SLOT.count]!
  if (count < VARIANCE_WARMUP) return Number.NaN
  const vbar = s[HAR_SLOT.sumSq]! / count
  const h = harOneStep(s, scale, vbar)
  if (horizon === 1) return h
  // Beyond a bar the daily term has decayed into the weekly and monthly ones: forecast k steps
  // ahead by letting d, w and m relax towards v̄ at the weekly and monthly rates.
  let total = h
  let w = scale * s[HAR_SLOT.week]!
  let m = scale * s[HAR_SLOT.month]!
  const a = s[HAR_SLOT.a]!
  const b = s[HAR_SLOT.b]!
  const c = s[HAR_SLOT.c]!
  let previous = h
  for (let k = 1; k < horizon; k++) {
    w = HAR_WEEK * w + (1 - HAR_WEEK) * previous
    m = HAR_MONTH * m + (1 - HAR_MONTH) * previous
    previous = Math.max(1e-300, a * previous + b * w + c * m + (1 - a - b - c) * vbar)
    total += previous
  }
  return total
}

export const harVariance: VarianceSpec = {
  id: 'har',
  version: 1,
  // Every slot but the range model's Σrange, the last.
  size: HAR_SLOT.sumRange,
  init: initHar,
  update(s, r) {
    updateHar(s, r * r, r * r, 1)
  },
  forecast(s, horizon) {
    return harForecast(s, 1, horizon)
  },
}

/**
 * Range-based: the HAR recursion above on each bar's range variance (`rangeVarianceOf`) instead of
 * r², h = k·(a·d + b·w + c·m) + (1 − a − b − c)·v̄, scaled to close-to-close returns by the expanding
 * ratio k = Σr² / Σrange (a range misses what happens between the bars it does not cover and is
 * biased low by discrete sampling), v̄ and the weights' QLIKE gradient as the r² HAR's. Abstains on
 * rows without open, high and low. Version 1 was an EW mean (decay 0.9) of the range variance;
 * docs/benchmarks.md ("The pool over the range HAR") has the rule that replaced it.
 */
export const rangeVariance: VarianceSpec = {
  id: 'range',
  version: 2,
  size: Object.keys(HAR_SLOT).length,
  init: initHar,
  update(s, r, v) {
    if (Number.isNaN(v)) return
    const sumRange = s[HAR_SLOT.sumRange]!
    updateHar(s, r * r, v, sumRange > 0 ? s[HAR_SLOT.sumSq]! / sumRange : 0)
    s[HAR_SLOT.sumRange] = sumRange + v
  },
  forecast(s, horizon) {
    const sumRange = s[HAR_SLOT.sumRange]!
    if (!(sumRange > 0)) return Number.NaN
    return harForecast(s, s[HAR_SLOT.sumSq]! / sumRange, horizon)
  },
}

/**
 * The equal-weight mean of the forecasts of the variance models before it in the list (EWMA's
 * h·σ² included) that forecast at that bar: the standard robust combination. It has no state of
 * its own; `forecastVariances` and `servedSigmaAhead` compute its forecast from the others', so
 * its own `forecast` is never asked and gives NaN.
 */
export const poolVariance: VarianceSpec = {
  id: 'pool',
  version: 1,
  size: 0,
  pooled: true,
  init() {},
  update() {},
  forecast() {
    return Number.NaN
  },
}

/** The challengers, in the order of their scores in a state (EWMA, the baseline, comes first there). */
export const VARIANCE_CHALLENGERS: readonly VarianceSpec[] = [
  garchVariance,
  harVariance,
  rangeVariance,
  poolVariance,
]

/** QLIKE of variance forecast h for realised return r, up to a constant: ln h + r²/h. */
export const qlike = (h: number, r: number): number => Math.log(h) + (r * r) / h
