import type { WorkCounts } from '../../../platform/logger/start-work-summary.ts'
import type { ViewKind } from '../views/decode-change.ts'
import type { ConsumptionObserver } from '../views/materialise-views.ts'

export interface ConsumptionTally {
  /** The observer to give the consuming loop: it tells `observer` everything, and counts. */
  readonly observer: ConsumptionObserver
  /** Records applied per kind (`barsIn`, `predictionsIn`, `modelsIn`), skipped as invalid, and the largest lag. */
  counts(): WorkCounts
}

/** Counts what the prediction service consumed, for its work summary, besides its metrics. */
export function tallyConsumption(
  observer: ConsumptionObserver,
  topics: Readonly<Record<ViewKind, string>>,
): ConsumptionTally {
  const applied = new Map<string, number>()
  const lagSeconds = new Map<string, number>()
  let invalid = 0
  return {
    observer: {
      recordApplied(topic, count) {
        observer.recordApplied(topic, count)
        applied.set(topic, (applied.get(topic) ?? 0) + count)
      },
      recordInvalid(topic) {
        observer.recordInvalid(topic)
        invalid++
      },
      setLagSeconds(topic, seconds) {
        observer.setLagSeconds(topic, seconds)
        lagSeconds.set(topic, seconds)
      },
    },
    counts() {
      const counts: Record<string, number | undefined> = {}
      for (const [kind, topic] of Object.entries(topics)) counts[`${kind}sIn`] = applied.get(topic) ?? 0
      counts['invalid'] = invalid
      counts['lagMs'] =
        lagSeconds.size === 0 ? undefined : Math.round(Math.max(...lagSeconds.values()) * 1000)
      return counts
    },
  }
}
