import type { ScoredBar } from '../../core/training/train-step.ts'

export const BARS_OUT_HEADER =
  'barStart,horizon,actualReturn,predictedReturn,sigma,lower80,upper80,lower95,upper95,model,varianceModel'

/**
 * The `--bars-out` CSV rows of one scored bar: one per horizon of the published forecast whose
 * outcome this bar is (the next bar's, then the 5- and 20-bar ones made that many bars before),
 * returns and band bounds as log returns from the close the forecast was made at.
 */
export function barsOutRows(bar: ScoredBar): string[] {
  const served = bar.forecasts.find((forecast) => forecast.id === bar.served)
  if (served === undefined) return []
  const { predicted, half80, half95 } = served
  const cells = [
    new Date(bar.barStart).toISOString(),
    1,
    bar.actual,
    predicted,
    bar.sigma,
    predicted - half80,
    predicted + half80,
    predicted - half95,
    predicted + half95,
    bar.served,
    bar.varianceModel,
  ]
  const start = cells[0]!
  const longer = bar.horizons.map((forecast) => [
    start,
    forecast.horizon,
    forecast.actual,
    forecast.predicted,
    forecast.sigma,
    forecast.predicted - forecast.half80,
    forecast.predicted + forecast.half80,
    forecast.predicted - forecast.half95,
    forecast.predicted + forecast.half95,
    forecast.served,
    forecast.varianceModel,
  ])
  return [cells, ...longer].map((row) => row.map(String).join(','))
}
