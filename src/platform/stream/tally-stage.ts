import type { BusRecord, OutgoingRecord } from '../bus/bus.ts'
import { TOPICS } from '../../core/contracts/topics.ts'
import type { WorkCounts } from '../logger/start-work-summary.ts'
import type { PartitionedStage } from './partitioned-stage.ts'

export interface TallyOptions {
  readonly topicPrefix: string
  readonly now: () => number
  /**
   * The JSON field of a consumed value that holds its event time (epoch ms or an ISO time), read
   * from the last record of each batch only, for `lastEventAt`.
   */
  readonly eventTimeField?: string
}

export interface StageTally {
  /** The stage to run instead of the wrapped one: the same outputs, counted. */
  readonly stage: PartitionedStage
  /**
   * The totals so far under the names a summary line uses: `inName` for the records consumed, the
   * given names for the records produced per topic (prefix left out), `deadLetters` always, and
   * `lagMs` (how long the last consumed record had waited in Kafka) and `lastEventAt` when known.
   */
  counts(inName: string, outNames: Readonly<Record<string, string>>): WorkCounts
}

const utf8 = new TextDecoder()

function eventTimeOf(record: BusRecord, field: string): number | undefined {
  if (record.value === null) return undefined
  try {
    const value: unknown = JSON.parse(utf8.decode(record.value))
    const time =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined
    const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN
    // Beyond ±8.64e15 ms a Date is invalid and could not be printed.
    return Math.abs(ms) <= 8.64e15 ? ms : undefined
  } catch {
    return undefined
  }
}

/** Wraps a stage to count what it consumes and produces, for the service's work summary. */
export function tallyStage(stage: PartitionedStage, options: TallyOptions): StageTally {
  let consumed = 0
  const produced = new Map<string, number>()
  let lagMs: number | undefined
  let lastEventAt: number | undefined

  const count = (outputs: OutgoingRecord[]): OutgoingRecord[] => {
    for (const output of outputs) produced.set(output.topic, (produced.get(output.topic) ?? 0) + 1)
    return outputs
  }
  const tick = stage.tick
  const counted: PartitionedStage = {
    stores: stage.stores,
    process(records) {
      const outputs = stage.process(records)
      consumed += records.length
      const last = records.at(-1)
      if (last !== undefined) {
        if (last.timestamp > 0) lagMs = Math.max(0, options.now() - last.timestamp)
        if (options.eventTimeField !== undefined)
          lastEventAt = eventTimeOf(last, options.eventTimeField) ?? lastEventAt
      }
      return count(outputs)
    },
    ...(tick === undefined ? {} : { tick: (nowMs: number) => count(tick(nowMs)) }),
  }
  const total = (topic: string): number => produced.get(options.topicPrefix + topic) ?? 0
  return {
    stage: counted,
    counts(inName, outNames) {
      const counts: Record<string, number | string | undefined> = { [inName]: consumed }
      for (const [topic, name] of Object.entries(outNames)) counts[name] = total(topic)
      counts['deadLetters'] = total(TOPICS.deadLetters)
      counts['lagMs'] = lagMs
      counts['lastEventAt'] = lastEventAt === undefined ? undefined : new Date(lastEventAt).toISOString()
      return counts
    },
  }
}
