import type { Interval } from '../../../core/contracts/primitives.ts'
import type { Quote } from '../../../core/contracts/quote.ts'
import type { Result } from '../../../core/contracts/result.ts'
import type { HistoryBatch } from '../../../core/providers/history-batch.ts'
import type { ProviderFailure } from '../../../core/providers/provider-failure.ts'

export const PROVIDER_NAMES = ['replay', 'yahoo', 'stooq', 'alphavantage', 'pse'] as const
export type ProviderName = (typeof PROVIDER_NAMES)[number]

/** A closed time range, epoch milliseconds. */
export interface TimeRange {
  readonly fromMs: number
  readonly toMs: number
}

/**
 * A source of quotes. Neither method rejects: every failure, per symbol, is a value that says why,
 * so one symbol's failure never aborts the others.
 */
export interface Provider {
  readonly name: ProviderName
  /** Replayed history: event times lie in the past by design, so quotes are not checked for staleness. */
  readonly isReplay: boolean
  /** Whether the provider covers a symbol at all (market, index or ticker form). */
  supports(symbol: string): boolean
  /** The current quote of each symbol, one outcome per symbol asked for. */
  quote(symbols: readonly string[]): Promise<ReadonlyMap<string, Result<Quote, ProviderFailure>>>
  /** Historical bars of one symbol within a range, oldest first. */
  history(
    symbol: string,
    range: TimeRange,
    interval: Interval,
  ): Promise<Result<HistoryBatch, ProviderFailure>>
}
