import type { Interval } from '../../core/contracts/primitives.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { backfillSymbol } from './backfill-symbol.ts'
import type { ProviderAttempt } from './fetch-quotes.ts'
import type { Provider, ProviderName, TimeRange } from './providers/provider.ts'
import { readStreamPositions } from './read-stream-positions.ts'

export interface BackfillWindow {
  readonly symbol: string
  readonly provider: ProviderName
  /** 1-based, of `windows` for this symbol and provider. */
  readonly window: number
  readonly windows: number
  readonly range: TimeRange
  /** Bars this window published, and the symbol's total so far. */
  readonly bars: number
  readonly published: number
}

export interface BackfillOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly symbols: readonly string[]
  readonly providers: readonly Provider[]
  readonly range: TimeRange
  readonly interval: Interval
  readonly nowMs: () => number
  /** Records per produce call. */
  readonly batchSize?: number
  /** Stops before the next request; what is published stays, and a re-run continues after it. */
  readonly signal?: AbortSignal
  /** A provider's windows for a symbol are known (before its first request). */
  readonly onPlan?: (symbol: string, provider: ProviderName, windows: number) => void
  readonly onWindow?: (progress: BackfillWindow) => void
}

/**
 * `complete`: the range is in the stream now; `up-to-date`: it already was (no request);
 * `interrupted`: the signal stopped it; `failed`: every provider failed for what remains.
 */
export type SymbolBackfillStatus = 'complete' | 'up-to-date' | 'interrupted' | 'failed'

export interface SymbolBackfill {
  readonly symbol: string
  readonly status: SymbolBackfillStatus
  readonly provider?: ProviderName
  readonly published: number
  /** Rows the provider sent that did not make a valid, complete bar, with the reason. */
  readonly rejected: readonly string[]
  readonly attempts: readonly ProviderAttempt[]
  readonly publishError?: string
  /** The event time of the symbol's latest quote in the topic before this run (where it resumed). */
  readonly resumedAfter?: number
  /** The event time of the latest bar this run published. */
  readonly lastPublished?: number
  /** What is still missing when the symbol is not done. */
  readonly remaining?: TimeRange
  /** The older part of the range the provider used no longer serves at this interval. */
  readonly unavailable?: TimeRange
}

export interface BackfillReport {
  readonly symbols: readonly SymbolBackfill[]
  readonly published: number
  readonly isComplete: boolean
  readonly isInterrupted: boolean
}

/**
 * Publishes each symbol's historical bars within the range, oldest first, from the first provider
 * that has any (failover), continuing after the symbol's latest quote in the quotes topic: the
 * stream is the checkpoint, so a re-run (or a retried Job) fetches only what is missing after it,
 * and a completed range costs no request. Each provider's range is cut into the windows it allows
 * (`HISTORY_LIMITS`), published window by window, so an interruption keeps every finished window.
 * Every bar is checked, only completed bars are kept, and each carries a stable id
 * (`source:symbol:interval:start`).
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  const positions = await readStreamPositions(options.bus, options.topicPrefix, options.symbols)
  const reports: SymbolBackfill[] = []
  for (const symbol of options.symbols)
    reports.push(await backfillSymbol(symbol, positions.last.get(symbol), options))
  const published = reports.reduce((sum, report) => sum + report.published, 0)
  return {
    symbols: reports,
    published,
    isComplete: reports.every((report) => report.status === 'complete' || report.status === 'up-to-date'),
    isInterrupted: reports.some((report) => report.status === 'interrupted'),
  }
}
