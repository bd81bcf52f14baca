import { dieboldMariano } from '../../src/core/metrics/diebold-mariano.ts'
import { qlike } from '../../src/core/model/variance-models.ts'

/** One method's one-bar-ahead interval forecast of one bar, and what happened. */
export interface IntervalForecast {
  readonly barStart: number
  readonly actual: number
  readonly lo80: number
  readonly hi80: number
  readonly lo95: number
  readonly hi95: number
  /** What the method's σ-fifths are sorted by: its own σ, or its half-width where it has none. */
  readonly spread: number
}

export interface DateWindow {
  readonly label: string
  readonly fromMs: number
  /** Exclusive. */
  readonly toMs: number
}

export interface Coverage {
  readonly n: number
  readonly coverage80: number
  readonly coverage95: number
}

export interface IntervalScores extends Coverage {
  readonly winkler80: number
  readonly winkler95: number
  readonly width80: number
  readonly width95: number
  /** Calmest to most volatile by the method's own `spread`. */
  readonly fifths: readonly Coverage[]
  readonly years: readonly (Coverage & { readonly year: number })[]
  /** The windows that hold at least one bar. */
  readonly windows: readonly (Coverage & { readonly label: string })[]
}

/** Winkler's interval score of [lower, upper] at miss rate `alpha` (lower is better). */
export const winkler = (lower: number, upper: number, y: number, alpha: number): number =>
  upper - lower + (2 / alpha) * (Math.max(0, lower - y) + Math.max(0, y - upper))

const coverOf = (list: readonly IntervalForecast[]): Coverage => ({
  n: list.length,
  coverage80: list.filter((f) => f.lo80 <= f.actual && f.actual <= f.hi80).length / list.length,
  coverage95: list.filter((f) => f.lo95 <= f.actual && f.actual <= f.hi95).length / list.length,
})

const mean = (list: readonly IntervalForecast[], f: (x: IntervalForecast) => number): number =>
  list.reduce((sum, x) => sum + f(x), 0) / list.length

/** Coverage, interval score and width of one method's forecasts, overall, per σ-fifth, year and window. */
export function scoreIntervals(
  forecasts: readonly IntervalForecast[],
  windows: readonly DateWindow[],
): IntervalScores {
  const sorted = [...forecasts].sort((a, b) => a.spread - b.spread)
  const n = sorted.length
  const yearOf = (f: IntervalForecast): number => new Date(f.barStart).getUTCFullYear()
  return {
    ...coverOf(forecasts),
    winkler80: mean(forecasts, (f) => winkler(f.lo80, f.hi80, f.actual, 0.2)),
    winkler95: mean(forecasts, (f) => winkler(f.lo95, f.hi95, f.actual, 0.05)),
    width80: mean(forecasts, (f) => f.hi80 - f.lo80),
    width95: mean(forecasts, (f) => f.hi95 - f.lo95),
    fifths: [0, 1, 2, 3, 4].map((k) =>
      coverOf(sorted.slice(Math.floor((k * n) / 5), Math.floor(((k + 1) * n) / 5))),
    ),
    years: [...new Set(forecasts.map(yearOf))].map((year) => ({
      year,
      ...coverOf(forecasts.filter((f) => yearOf(f) === year)),
    })),
    windows: windows
      .map((w) => ({
        label: w.label,
        list: forecasts.filter((f) => f.barStart >= w.fromMs && f.barStart < w.toMs),
      }))
      .filter((w) => w.list.length > 0)
      .map((w) => ({ label: w.label, ...coverOf(w.list) })),
  }
}

export interface QlikeComparison {
  readonly n: number
  readonly qlike: number
  readonly baseQlike: number
  /** Diebold–Mariano of QLIKE(variances) − QLIKE(baseVariances); negative favours `variances`. */
  readonly dm: number | null
}

/** QLIKE (ln h + r²/h) of two variance forecasts of the same returns, with DM on their difference. */
export function compareQlike(
  actual: readonly number[],
  variances: readonly number[],
  baseVariances: readonly number[],
): QlikeComparison {
  let sum = 0
  let sumBase = 0
  let sumD = 0
  let sumD2 = 0
  actual.forEach((r, t) => {
    const loss = qlike(variances[t]!, r)
    const base = qlike(baseVariances[t]!, r)
    sum += loss
    sumBase += base
    sumD += loss - base
    sumD2 += (loss - base) ** 2
  })
  const n = actual.length
  return { n, qlike: sum / n, baseQlike: sumBase / n, dm: dieboldMariano(n, sumD, sumD2) }
}

/** Diebold–Mariano of the Winkler scores of two methods' forecasts of the same bars, at 80 and 95 %. */
export function compareWinkler(
  forecasts: readonly IntervalForecast[],
  baseForecasts: readonly IntervalForecast[],
): { readonly dm80: number | null; readonly dm95: number | null } {
  const dmAt = (alpha: number, bounds: (f: IntervalForecast) => [number, number]): number | null => {
    let sumD = 0
    let sumD2 = 0
    forecasts.forEach((f, t) => {
      const base = baseForecasts[t]!
      const d = winkler(...bounds(f), f.actual, alpha) - winkler(...bounds(base), base.actual, alpha)
      sumD += d
      sumD2 += d * d
    })
    return dieboldMariano(forecasts.length, sumD, sumD2)
  }
  return { dm80: dmAt(0.2, (f) => [f.lo80, f.hi80]), dm95: dmAt(0.05, (f) => [f.lo95, f.hi95]) }
}
