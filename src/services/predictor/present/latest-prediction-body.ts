import type { z } from 'zod'
import type { Prediction } from '../../../core/contracts/prediction.ts'
import type { predictionResponse } from '../api/api-schemas.ts'
import type { SymbolView } from '../views/create-views.ts'
import { toPredictionBody } from './to-prediction-body.ts'

export type LatestPredictionBody = Readonly<z.infer<typeof predictionResponse>>

interface Cached {
  readonly latest: Prediction
  readonly dataAsOf: number | null
  readonly body: LatestPredictionBody
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

/**
 * The body of GET /predictions/{symbol}: a symbol's latest prediction with the start of its newest
 * bar. Deeply frozen, a copy, and the same object until either changes (a new bar or prediction),
 * so the app serialises it once per change rather than once per request.
 */
export function createLatestPredictionBodies(): (view: SymbolView) => LatestPredictionBody | undefined {
  const byView = new WeakMap<SymbolView, Cached>()
  return (view) => {
    const latest = view.predictions.last()
    if (latest === undefined) return undefined
    const dataAsOf = view.bars.last()?.start ?? null
    const cached = byView.get(view)
    if (cached?.latest === latest && cached.dataAsOf === dataAsOf) return cached.body
    const body = deepFreeze(structuredClone({ ...toPredictionBody(latest), dataAsOf }))
    byView.set(view, { latest, dataAsOf, body })
    return body
  }
}
