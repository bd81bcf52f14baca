import type { PredictWithModel } from '../predict/create-model-predictor.ts'
import type { PredictorViews, SymbolView } from '../views/create-views.ts'
import { ApiError } from './api-error.ts'

/** What the API's routes read: the materialised views, readiness and the on-demand predictor. */
export interface ApiDeps {
  readonly views: PredictorViews
  readonly isReady: () => boolean
  readonly predict: PredictWithModel
}

/** The view of a symbol, or a 404 naming it. */
export function viewOrThrow(views: PredictorViews, symbol: string, parameter = 'symbol'): SymbolView {
  const view = views.get(symbol)
  if (view === undefined) throw ApiError.unknownSymbol(symbol, parameter)
  return view
}
