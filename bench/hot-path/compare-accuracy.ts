import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { resolveTrainerOptions } from '../../src/core/training/trainer-options.ts'
import { formatPercent, verdictOf, type BenchRow } from '../support/bench-row.ts'
import type { RiverResult, RiverSeries } from './run-river.ts'
import {
  calibrationError,
  fromRiver,
  quotecastForecasts,
  scoreForecasts,
  type ForecastScores,
} from './score-forecasts.ts'

/** A River model this much worse than naive has diverged (SGD blew up): left out of "River's best". */
const DIVERGED_MAE_TO_NAIVE = 2

interface Scored {
  readonly id: string
  readonly scores: ForecastScores
}

const lowest = (models: readonly Scored[], by: (scores: ForecastScores) => number): Scored =>
  models.reduce((best, model) => (by(model.scores) < by(best.scores) ? model : best))

const coverageText = (scores: ForecastScores): string =>
  `${formatPercent(scores.coverage80)} / ${formatPercent(scores.coverage95)}`

const dmText = (scores: ForecastScores): string => (scores.dm === null ? 'n/a' : scores.dm.toFixed(2))

const describeScores = (id: string, scores: ForecastScores): string =>
  `${id} ${scores.maeToNaive.toPrecision(5)}, ${coverageText(scores)}, width ${scores.width80.toFixed(4)} / ${scores.width95.toFixed(4)}, DM ${dmText(scores)}`

export interface AccuracyComparison {
  readonly rows: readonly BenchRow[]
  readonly notes: readonly string[]
  readonly accuracy: Readonly<Record<string, Readonly<Record<string, ForecastScores>>>>
}

/**
 * quotecast's published forecasts (and each of its models) against every model of River's grid
 * on every series, scored on the same bars: those where all of them had a forecast.
 */
export function compareAccuracy(
  series: readonly { readonly symbol: string; readonly rows: readonly FeatureRow[] }[],
  inputs: readonly RiverSeries[],
  river: RiverResult,
): AccuracyComparison {
  const rows: BenchRow[] = []
  const trainerOptions = resolveTrainerOptions()
  const accuracyNotes: string[] = []
  const accuracy: Record<string, Record<string, ForecastScores>> = {}
  for (const [i, { symbol, rows: featureRows }] of series.entries()) {
    const returns = inputs[i]?.returns ?? []
    const { byModel: ours, servedIds } = quotecastForecasts(trainerOptions, featureRows)
    const served = ours.get('served') ?? []
    const theirs = river.models.map((model) => ({
      id: model.id,
      forecasts: (model.series.find((s) => s.symbol === symbol)?.forecasts ?? []).map(fromRiver),
    }))
    // The bars every model forecast: quotecast publishes from its 21st bar on, River earlier.
    const isScored = (t: number): boolean =>
      served[t] !== null && theirs.every((model) => (model.forecasts[t] ?? null) !== null)
    const score = (forecasts: readonly (ReturnType<typeof fromRiver> | undefined)[]): ForecastScores =>
      scoreForecasts(
        forecasts.map((f) => f ?? null),
        returns,
        isScored,
      )
    const q = score(served)
    const ourModels: Scored[] = [...ours]
      .filter(([id]) => id !== 'served')
      .map(([id, f]) => ({ id, scores: score(f) }))
    const riverModels: Scored[] = theirs.map((model) => ({ id: model.id, scores: score(model.forecasts) }))
    const diverged = riverModels.filter((m) => !(m.scores.maeToNaive <= DIVERGED_MAE_TO_NAIVE))
    const sane = riverModels.filter((m) => m.scores.maeToNaive <= DIVERGED_MAE_TO_NAIVE)
    accuracy[symbol] = Object.fromEntries([
      ['quotecast served', q],
      ...ourModels.map((m) => [`quotecast ${m.id}`, m.scores] as const),
      ...riverModels.map((m) => [m.id, m.scores] as const),
    ])
    const bestMae = lowest(sane, (s) => s.maeToNaive)
    const bestCalibrated = lowest(sane, calibrationError)
    rows.push(
      {
        section: '2 accuracy',
        measure: `${symbol}: MAE of returns ÷ naive's (${q.n} bars)`,
        quotecast: q.maeToNaive.toFixed(4),
        reference: `${bestMae.scores.maeToNaive.toFixed(4)} ${bestMae.id}`,
        ratio: `${(q.maeToNaive / bestMae.scores.maeToNaive).toFixed(4)}×`,
        goal: "≤ 1× River's best",
        verdict: verdictOf(q.maeToNaive <= bestMae.scores.maeToNaive),
      },
      {
        section: '2 accuracy',
        measure: `${symbol}: coverage of the 80 / 95 % intervals`,
        quotecast: coverageText(q),
        reference: `${coverageText(bestCalibrated.scores)} ${bestCalibrated.id}`,
        ratio: `off by ${formatPercent(calibrationError(q))} vs ${formatPercent(calibrationError(bestCalibrated.scores))}`,
        goal: "nearer 80 / 95 % than River's best",
        verdict: verdictOf(calibrationError(q) <= calibrationError(bestCalibrated.scores)),
      },
    )
    const servedCounts = new Map<string, number>()
    servedIds.forEach((id, t) => {
      if (id !== null && isScored(t)) servedCounts.set(id, (servedCounts.get(id) ?? 0) + 1)
    })
    const servedShares = [...servedCounts]
      .map(([id, count]) => `${id} ${formatPercent(count / q.n)}`)
      .join(', ')
    const ourBest = lowest(ourModels, (s) => s.maeToNaive)
    accuracyNotes.push(
      `${symbol}: how sure each "best" is: River's best ${bestMae.id} DM ${dmText(bestMae.scores)}, quotecast's best model ${ourBest.id} (${ourBest.scores.maeToNaive.toPrecision(5)}) DM ${dmText(ourBest.scores)}, against naive on the same bars; −1.645 is one-sided 5 % (p = 0.05), and quotecast serves a model only at −2.326 (1 %). River's best is the lowest of ${sane.length} grid entries picked after seeing this series.`,
      `${symbol}: quotecast published the forecast of ${servedShares} of the scored bars (its serving rule publishes a model only once it beats naive significantly, Diebold–Mariano).`,
      `${symbol}, ${q.n} bars, as "id MAE÷naive, coverage 80 / 95, mean width 80 / 95 (log return), DM against naive": ${describeScores('quotecast served', q)}; ${ourModels
        .map((m) => describeScores(`quotecast ${m.id}`, m.scores))
        .join('; ')}; ${sane.map((m) => describeScores(m.id, m.scores)).join('; ')}.` +
        (diverged.length === 0
          ? ''
          : ` Diverged (MAE÷naive > ${DIVERGED_MAE_TO_NAIVE}, left out of River's best): ${diverged.map((m) => `${m.id} ${m.scores.maeToNaive.toPrecision(3)}`).join('; ')}.`),
    )
  }

  return { rows, notes: accuracyNotes, accuracy }
}
