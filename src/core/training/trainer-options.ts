import type { Interval } from '../contracts/primitives.ts'
import type { ModelSpec } from '../model/model-spec.ts'
import { MODEL_REGISTRY } from '../model/model-registry.ts'
import { VARIANCE_CHALLENGERS, type VarianceSpec } from '../model/variance-models.ts'
import type { ConformalBandParams } from '../model/conformal-band.ts'
import { EXCHANGE_CALENDARS } from '../schedule/exchange-calendars.ts'
import type { ExchangeCalendars } from '../schedule/resolve-calendars.ts'
import type { ServingRule } from './select-served-model.ts'

export interface TrainerOptions {
  /** Models run side by side; must include the baseline. */
  readonly models: readonly ModelSpec[]
  readonly serving: ServingRule
  /** Decay of the EWMA variance that sets every interval's σ (RiskMetrics: 0.94 for daily bars). */
  readonly volatilityDecay: number
  /**
   * Variance models that compete with the EWMA by QLIKE; the band's σ comes from the served one,
   * chosen by the serving rule's thresholds (`serving.minScoredBars`, `serving.maxDm`).
   */
  readonly varianceModels: readonly VarianceSpec[]
  /**
   * Decay per bar of an hour's mean in the intraday time-of-day profile (`time-of-day-profile.ts`):
   * each hour of the exchange's clock learns its own σ against the day's average. 1 switches it
   * off; daily bars never use it.
   */
  readonly timeOfDayDecay: number
  /** Step of the σ-tilt's κ (`learnSigmaTilt`); 0 keeps κ = 1, the served σ as it is. */
  readonly sigmaTiltStep: number
  readonly sigmaFloor: number
  /** Returns seen before the first prediction is published. */
  readonly warmupBars: number
  readonly band: ConformalBandParams
  /** Decay of the recent-score window the serving rule compares. */
  readonly recentDecay: number
  /**
   * A row with more missing bars before it than this, per interval, does not score or train: its
   * return spans several bars and is not what a one-bar forecast predicted. Daily rows count
   * holidays as gaps, yet the next session is still the next bar, so daily bars allow a week.
   */
  readonly maxGapBars: Readonly<Record<Interval, number>>
  /**
   * The calendars that date each forecast: `forBarStart` is the next trading session's bar (daily)
   * or the next bar inside a session (intraday) on the calendar of `exchangeOfSymbol(symbol)`.
   */
  readonly calendars: ExchangeCalendars
}

export const DEFAULT_TRAINER_OPTIONS: TrainerOptions = {
  models: MODEL_REGISTRY,
  serving: { baselineId: 'naive', minScoredBars: 250, maxDm: -2.326 },
  volatilityDecay: 0.85,
  varianceModels: VARIANCE_CHALLENGERS,
  timeOfDayDecay: 0.97,
  sigmaTiltStep: 0,
  sigmaFloor: 1e-8,
  warmupBars: 20,
  band: { quantileStep: 0.07, aciStep: 0.005, minQ: 0.05, maxQ: 50 },
  recentDecay: 0.99,
  maxGapBars: { '1m': 0, '5m': 0, '15m': 0, '30m': 0, '1h': 0, '1d': 5 },
  calendars: EXCHANGE_CALENDARS,
}

export type TrainerOverrides = Partial<Omit<TrainerOptions, 'band' | 'serving'>> & {
  readonly band?: Partial<ConformalBandParams>
  readonly serving?: Partial<ServingRule>
}

/** Defaults resolved once, up front; throws on a model list that breaks the trainer's invariants. */
export function resolveTrainerOptions(overrides: TrainerOverrides = {}): TrainerOptions {
  const options: TrainerOptions = {
    ...DEFAULT_TRAINER_OPTIONS,
    ...overrides,
    band: { ...DEFAULT_TRAINER_OPTIONS.band, ...overrides.band },
    serving: { ...DEFAULT_TRAINER_OPTIONS.serving, ...overrides.serving },
  }
  const ids = options.models.map((model) => model.id)
  if (new Set(ids).size !== ids.length) throw new Error(`model ids must be unique: ${ids.join(', ')}`)
  const varianceIds = ['ewma', ...options.varianceModels.map((model) => model.id)]
  if (new Set(varianceIds).size !== varianceIds.length)
    throw new Error(`variance model ids must be unique and not "ewma": ${varianceIds.join(', ')}`)
  if (!(options.timeOfDayDecay > 0 && options.timeOfDayDecay <= 1))
    throw new Error(`timeOfDayDecay must be in (0, 1], not ${options.timeOfDayDecay}`)
  if (!ids.includes(options.serving.baselineId)) {
    throw new Error(`the baseline model "${options.serving.baselineId}" is not among the models`)
  }
  return options
}
