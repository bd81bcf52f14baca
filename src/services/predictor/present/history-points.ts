import type { z } from 'zod'
import type { historyPoint } from '../api/api-schemas.ts'
import type { SymbolView } from '../views/create-views.ts'

export type HistoryPoint = z.infer<typeof historyPoint>

/**
 * ln(a / b) of two positive prices. Bars and predictions within the contracts keep the ratio finite;
 * should it overflow or underflow, the difference of the logarithms is the same number, still finite.
 */
const logRatio = (a: number, b: number): number => {
  const ratio = a / b
  return ratio > 0 && ratio < Number.POSITIVE_INFINITY ? Math.log(ratio) : Math.log(a) - Math.log(b)
}

/** Bars from `fromMs` to `toMs` (the newest `limit`), each with the prediction made for it and its error. */
export function historyPoints(view: SymbolView, fromMs: number, toMs: number, limit: number): HistoryPoint[] {
  return view.bars.range(fromMs, toMs, limit).map((bar) => {
    const previous = view.bars.before(bar.start)
    const predicted = previous === undefined ? undefined : view.predictions.get(previous.start)
    const { schema: _schema, symbol: _symbol, interval: _interval, ...fields } = bar
    if (predicted === undefined) return { ...fields, prediction: null, error: null }
    const { p80, p95 } = predicted.intervals
    const isInside = (band: { lower: number; upper: number }): boolean =>
      bar.close >= band.lower && bar.close <= band.upper
    return {
      ...fields,
      prediction: {
        point: predicted.point,
        predictedReturn: predicted.predictedReturn,
        intervals: { p80: { ...p80 }, p95: { ...p95 } },
        model: { ...predicted.model },
        madeAt: predicted.madeAt,
      },
      error: {
        value: bar.close - predicted.point,
        logReturn: logRatio(bar.close, predicted.point),
        isInside80: isInside(p80),
        isInside95: isInside(p95),
      },
    }
  })
}
