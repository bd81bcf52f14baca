import type { z } from 'zod'
import type { symbolSummary } from '../api/api-schemas.ts'
import type { SymbolView } from '../views/create-views.ts'
import { toPredictionBody } from './to-prediction-body.ts'

export type SymbolSummary = z.infer<typeof symbolSummary>

/** The symbols list entry: last close, latest prediction, served model and how fresh it all is. */
export function summariseSymbol(view: SymbolView): SymbolSummary {
  const lastBar = view.bars.last()
  const latest = view.predictions.last()
  const model = view.model
  return {
    symbol: view.symbol,
    interval: view.interval,
    lastBar: lastBar === undefined ? null : { start: lastBar.start, end: lastBar.end, close: lastBar.close },
    latestPrediction: latest === undefined ? null : toPredictionBody(latest),
    model:
      model === undefined
        ? null
        : { served: model.served, version: model.version, trainedThrough: model.trainedThrough },
    dataAsOf: lastBar?.start ?? null,
    receivedAt: view.receivedAtMs,
    bars: view.bars.size,
    predictions: view.predictions.size,
  }
}
