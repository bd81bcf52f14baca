import type { ScoredBar } from '../../core/training/train-step.ts'

export const BARS_OUT_HEADER =
  'barStart,horizon,actualReturn,predictedReturn,sigma,lower80,upper80,lower95,upper95,model,varianceModel'

/**
 * The `--bars-out` CSV rows of one scored bar: one per horizon of the published forecast (today
 * one bar ahead only), returns and band bounds as log returns against the previous close.
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
  return [cells.map(String).join(',')]
}
