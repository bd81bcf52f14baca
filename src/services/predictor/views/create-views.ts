import type { Bar } from '../../../core/contracts/bar.ts'
import type { ModelSnapshot } from '../../../core/contracts/model-snapshot.ts'
import type { Prediction } from '../../../core/contracts/prediction.ts'
import type { Interval } from '../../../core/contracts/primitives.ts'
import { createBoundedSeries, type BoundedSeries } from './bounded-series.ts'

/** One decoded record of the topics the prediction service reads. */
export type ViewChange =
  | { readonly kind: 'bar'; readonly bar: Bar }
  | { readonly kind: 'prediction'; readonly prediction: Prediction }
  | { readonly kind: 'model'; readonly snapshot: ModelSnapshot }

/** What the service knows about one symbol. */
export interface SymbolView {
  readonly symbol: string
  readonly interval: Interval
  readonly bars: BoundedSeries<Bar>
  /**
   * Keyed by the bar each prediction was made at (`basedOnBarStart`): the prediction for a bar is
   * the one based on the bar before it, whatever gap (a weekend) lies between them.
   */
  readonly predictions: BoundedSeries<Prediction>
  readonly model: ModelSnapshot | undefined
  /** When the newest record for the symbol reached Kafka (its timestamp), epoch ms. */
  readonly receivedAtMs: number
}

export interface ViewSizes {
  readonly symbols: number
  readonly bars: number
  readonly predictions: number
  readonly models: number
}

export interface PredictorViews {
  apply(change: ViewChange, receivedAtMs: number): void
  symbols(): readonly string[]
  get(symbol: string): SymbolView | undefined
  /** Called after every applied change; returns the unsubscribe function. */
  subscribe(listener: (change: ViewChange) => void): () => void
  sizes(): ViewSizes
}

interface MutableSymbolView {
  symbol: string
  interval: Interval
  bars: BoundedSeries<Bar>
  predictions: BoundedSeries<Prediction>
  model: ModelSnapshot | undefined
  receivedAtMs: number
}

const symbolOf = (change: ViewChange): string =>
  change.kind === 'bar'
    ? change.bar.symbol
    : change.kind === 'prediction'
      ? change.prediction.symbol
      : change.snapshot.symbol

const intervalOf = (change: ViewChange): Interval =>
  change.kind === 'bar'
    ? change.bar.interval
    : change.kind === 'prediction'
      ? change.prediction.interval
      : change.snapshot.interval

/**
 * Per-symbol views of the bars, predictions and model snapshots topics, each history bounded to
 * the newest `maxBarsPerSymbol` items. The latest snapshot consumed wins, as on a compacted topic.
 */
export function createViews(options: { maxBarsPerSymbol: number }): PredictorViews {
  const bySymbol = new Map<string, MutableSymbolView>()
  const listeners = new Set<(change: ViewChange) => void>()
  const capacity = options.maxBarsPerSymbol

  const viewFor = (change: ViewChange): MutableSymbolView => {
    const symbol = symbolOf(change)
    let view = bySymbol.get(symbol)
    if (view === undefined) {
      view = {
        symbol,
        interval: intervalOf(change),
        bars: createBoundedSeries((bar: Bar) => bar.start, capacity),
        predictions: createBoundedSeries((prediction: Prediction) => prediction.basedOnBarStart, capacity),
        model: undefined,
        receivedAtMs: 0,
      }
      bySymbol.set(symbol, view)
    }
    return view
  }

  return {
    apply(change, receivedAtMs) {
      const view = viewFor(change)
      view.interval = intervalOf(change)
      view.receivedAtMs = Math.max(view.receivedAtMs, receivedAtMs)
      if (change.kind === 'bar') view.bars.upsert(change.bar)
      else if (change.kind === 'prediction') view.predictions.upsert(change.prediction)
      else view.model = change.snapshot
      for (const listener of listeners) listener(change)
    },
    symbols: () => [...bySymbol.keys()].sort(),
    get: (symbol) => bySymbol.get(symbol),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    sizes() {
      let bars = 0
      let predictions = 0
      let models = 0
      for (const view of bySymbol.values()) {
        bars += view.bars.size
        predictions += view.predictions.size
        if (view.model !== undefined) models += 1
      }
      return { symbols: bySymbol.size, bars, predictions, models }
    },
  }
}
