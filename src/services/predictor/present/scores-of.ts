import type { z } from 'zod'
import type { ModelSnapshot } from '../../../core/contracts/model-snapshot.ts'
import { summariseScores } from '../../../core/metrics/summarise-scores.ts'
import { summariseIntervalSums } from '../../../core/metrics/summarise-interval-sums.ts'
import { horizonScoresOfSnapshot } from '../../../core/training/horizon-bands.ts'
import { DEFAULT_TRAINER_OPTIONS } from '../../../core/training/trainer-options.ts'
import type { scoresResponse } from '../api/api-schemas.ts'

export type ScoresView = z.infer<typeof scoresResponse>

const isNaive = (model: { id: string; kind: string }): boolean =>
  model.kind === 'naive' || model.id === 'naive'

/**
 * The prequential scores of every model of a snapshot, which one is served and which is the naive
 * baseline, with the serving rule the trainer applies (so a "beats naive" verdict uses its threshold),
 * the published band's interval scores and those of the 5- and 20-bar intervals.
 */
export function scoresOf(snapshot: ModelSnapshot): ScoresView {
  const { serving } = DEFAULT_TRAINER_OPTIONS
  const baseline = snapshot.models.find(isNaive)
  return {
    symbol: snapshot.symbol,
    interval: snapshot.interval,
    version: snapshot.version,
    trainedThrough: snapshot.trainedThrough,
    served: snapshot.served,
    baseline: baseline?.id ?? null,
    servingRule: { maxDm: serving.maxDm, minScoredBars: serving.minScoredBars },
    models: snapshot.models.map((model) => ({
      id: model.id,
      kind: model.kind,
      isServed: model.id === snapshot.served,
      isBaseline: model === baseline,
      scores: summariseScores(model.scoreSums),
    })),
    intervals: snapshot.intervals === undefined ? null : summariseIntervalSums(snapshot.intervals),
    horizons: horizonScoresOfSnapshot(snapshot.horizons),
  }
}
