import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { MODEL_REGISTRY } from '../../src/core/model/model-registry.ts'
import { featureRowsOf } from '../../src/core/training/feature-rows-of.ts'
import { BUNDLED_CSV, loadCsv } from '../../src/platform/market-data/load-csv.ts'
import type { BenchOptions } from '../bench-options.ts'
import {
  formatRate,
  formatSpread,
  spreadVerdict,
  type BenchRow,
  type SectionResult,
} from '../support/bench-row.ts'
import { median } from '../support/percentile.ts'
import { measureBareRls, measureFeatureRows, measureTrainingSteps } from './quotecast-rates.ts'
import { runRiver, type RiverResult, type RiverSeries } from './run-river.ts'
import { compareAccuracy } from './compare-accuracy.ts'

const SPEED_GOAL = 20
const TIMING_SYMBOL = '^GSPC'

const riverSeries = (symbol: string, rows: readonly FeatureRow[], names: readonly string[]): RiverSeries => ({
  symbol,
  x: rows.map((row) => {
    const values = names.map((name) => row.values[name] ?? null)
    return values.every((value): value is number => value !== null) ? values : null
  }),
  returns: rows.map((row, t) => {
    const previous = rows[t - 1]
    return previous === undefined ? null : Math.log(row.close / previous.close)
  }),
})

/**
 * Section 2: feature + model updates per second with no I/O against River on the same bars, and
 * accuracy side by side on every bundled real series (prequential: every forecast made before its
 * bar was seen, scored on the bars where quotecast published one).
 */
export async function measureHotPath(options: BenchOptions['hotPath']): Promise<SectionResult> {
  const rlsSpec = MODEL_REGISTRY.find((model) => model.id === 'rls')
  if (rlsSpec === undefined) throw new Error('no rls model in the registry')
  const names = rlsSpec.features
  const series = await Promise.all(
    Object.values(BUNDLED_CSV).map(async ({ url, symbol }) => ({
      symbol,
      rows: featureRowsOf(await loadCsv(url, { symbol })),
    })),
  )
  const inputs = series.map(({ symbol, rows }) => riverSeries(symbol, rows, names))
  const job = {
    features: names,
    timingSymbol: TIMING_SYMBOL,
    timingRounds: options.riverRounds,
    series: inputs,
  }
  const river = await runRiver(job)
  const features = await measureFeatureRows()
  const timingRows = series.find((s) => s.symbol === TIMING_SYMBOL)?.rows ?? []
  const timed = river.models.filter((m) => m.stepsPerSecond !== null)
  // River and quotecast alternate, and each ratio is the median of its rounds' ratios, so that a
  // change in the machine's load between two timings moves both sides.
  const rounds: { bars: number; steps: number; bareRls: number; river: RiverResult }[] = []
  for (let round = 0; round < options.timingRounds; round++) {
    const riverTiming = round === 0 ? river : await runRiver(job, true)
    const steps = (await measureTrainingSteps(options.modelRounds)).perSecond
    const bareRls = measureBareRls(timingRows, options.modelRounds)
    rounds.push({ bars: 1 / (1 / features.perSecond + 1 / steps), steps, bareRls, river: riverTiming })
  }
  const riverRate = (round: (typeof rounds)[number], id: string): number =>
    round.river.models.find((m) => m.id === id)?.stepsPerSecond ?? Number.NaN
  const barsPerSecond = median(rounds.map((r) => r.bars))
  const bareRls = median(rounds.map((r) => r.bareRls))
  const bareRiver = median(rounds.map((r) => r.river.bareLinearRegression.stepsPerSecond))

  const rows: BenchRow[] = timed.map((model) => {
    const ratios = rounds.map((r) => r.bars / riverRate(r, model.id))
    return {
      section: '2 hot path',
      measure: `features + training step per bar vs ${model.id.split(' ')[0] ?? model.id}`,
      quotecast: formatRate(barsPerSecond),
      reference: `${formatRate(median(rounds.map((r) => riverRate(r, model.id))))} ${model.id}`,
      ratio: formatSpread(ratios),
      goal: `≥ ${SPEED_GOAL}× (whole spread)`,
      verdict: spreadVerdict(ratios, (ratio) => ratio >= SPEED_GOAL),
    }
  })
  rows.push({
    section: '2 hot path',
    measure: 'one linear model, 3 features: forecast + update per bar',
    quotecast: `${formatRate(bareRls)} rls`,
    reference: `${formatRate(bareRiver)} river LinearRegression`,
    ratio: formatSpread(rounds.map((r) => r.bareRls / r.river.bareLinearRegression.stepsPerSecond)),
    goal: '—',
    verdict: 'info',
  })

  const compared = compareAccuracy(series, inputs, river)
  rows.push(...compared.rows)

  const list = (values: readonly number[]): string => values.map((value) => formatRate(value)).join(', ')
  return {
    rows,
    notes: [
      `quotecast per bar = nextFeatures + trainStep (score the 4 models' pending forecasts; update naive, rls, rls-r1 and median; conformal interval bands; pick the served model; build the prediction) = 1/(1/features + 1/steps), from bench/processor-hot-path.ts (nextFeatures alone, daily bars: ${formatRate(features.perSecond)}) and bench/model-hot-path.ts (trainStep on the ${TIMING_SYMBOL} rows, per round: ${list(rounds.map((r) => r.steps))}), both run unchanged as child processes. ${options.timingRounds} rounds of River then quotecast; figures are medians, ratios the median of each round's ratio with the lowest and highest round in brackets; a goal is met only when every round clears it.`,
      `River ${river.river} on Python ${river.python}, timed on the same ${TIMING_SYMBOL} bars as River runs by default (SGD 0.01, conf.RegressionJackknife intervals over the whole history): ${timed.map((m) => `${m.id}: ${m.description}`).join('; ')}. River is given quotecast's feature values, so its feature computation is not timed (in River's favour). One River step = one forecast, one learn_one and the interval update.`,
      `Accuracy: prequential one-bar-ahead log returns, every forecast made after bar t-1 and scored on bar t, on the bars where quotecast published a forecast (from its 21st bar). MAE÷naive < 1 beats the random walk. River's grid, fixed in bench/river/river_bench.py before any result: {LinearRegression on the rls features, SNARIMAX(1,0,0), SNARIMAX(5,0,1)} × SGD learning rate {0.01 (default), 0.001, 0.0001} × intervals {whole history, last 250 bars}; "River's best" is the grid's lowest MAE÷naive, and for coverage its entry whose 80 and 95 % coverages are nearest nominal (sum of the two gaps). The grid picks its best after seeing the data, which favours River.`,
      "River intervals: river.conf.RegressionJackknife's method (running quantiles of the residuals taken before each update, added to the point forecast) at 10/90 % and 2.5/97.5 %, computed for both levels from one regressor. quotecast intervals: the served model's published conformal band (EWMA σ × a quantile adapted by ACI).",
      ...compared.notes,
      `One-model row: quotecast's rls (standardise, RLS update, forecast) vs River's StandardScaler | LinearRegression predict_one + learn_one, no intervals on either side.`,
    ],
    figures: {
      river: { river: river.river, python: river.python },
      featuresPerSecond: features.perSecond,
      rounds: rounds.map((r) => ({
        barsPerSecond: r.bars,
        stepsPerSecond: r.steps,
        bareRlsPerSecond: r.bareRls,
        river: Object.fromEntries(timed.map((m) => [m.id, riverRate(r, m.id)])),
        riverBareLinearRegression: r.river.bareLinearRegression.stepsPerSecond,
      })),
      accuracy: compared.accuracy,
    },
  }
}
