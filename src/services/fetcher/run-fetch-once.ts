import type { Quote } from '../../core/contracts/quote.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import { fetchQuotes, type ProviderAttempt } from './fetch-quotes.ts'
import type { Provider } from './providers/provider.ts'
import { publishQuotes } from './publish-quotes.ts'

/** `finished`: a replay with nothing after where the stream is; not a failure, and a retry cannot help. */
export type SymbolStatus = 'published' | 'unchanged' | 'finished' | 'failed'

export interface SymbolReport {
  readonly symbol: string
  readonly status: SymbolStatus
  readonly quote?: Quote
  readonly attempts: readonly ProviderAttempt[]
  /** Why an accepted quote was not published (the broker did not acknowledge it). */
  readonly publishError?: string
}

export interface FetchReport {
  readonly symbols: readonly SymbolReport[]
  /** Every symbol was published and acknowledged, unchanged, or finished (its replay is exhausted). */
  readonly isComplete: boolean
}

export interface FetchOnceOptions {
  readonly bus: Bus
  readonly topicPrefix: string
  readonly symbols: readonly string[]
  readonly providers: readonly Provider[]
  readonly nowMs: () => number
  readonly maxAgeMs: number
  /** A quote this says was already published is not published again (watch mode). */
  readonly isUnchanged?: (quote: Quote) => boolean
}

const isFinished = (attempts: readonly ProviderAttempt[]): boolean =>
  attempts.some((attempt) => attempt.failure.kind === 'exhausted') &&
  attempts.every((attempt) => attempt.failure.kind === 'exhausted' || attempt.failure.kind === 'unsupported')

/** Fetches each symbol's quote once, with failover, and publishes the good ones in one acknowledged batch. */
export async function runFetchOnce(options: FetchOnceOptions): Promise<FetchReport> {
  const outcomes = await fetchQuotes(options.symbols, options.providers, options)
  const fresh = outcomes.flatMap((outcome) =>
    outcome.quote !== undefined && options.isUnchanged?.(outcome.quote) !== true ? [outcome.quote] : [],
  )
  let publishError: string | undefined
  try {
    await publishQuotes(options.bus, options.topicPrefix, fresh)
  } catch (error) {
    publishError = `not acknowledged by the broker: ${error instanceof Error ? error.message : String(error)}`
  }
  const symbols = outcomes.map((outcome): SymbolReport => {
    const base = { symbol: outcome.symbol, attempts: outcome.attempts }
    if (outcome.quote === undefined)
      return { ...base, status: isFinished(outcome.attempts) ? 'finished' : 'failed' }
    if (!fresh.includes(outcome.quote)) return { ...base, status: 'unchanged', quote: outcome.quote }
    if (publishError !== undefined) return { ...base, status: 'failed', quote: outcome.quote, publishError }
    return { ...base, status: 'published', quote: outcome.quote }
  })
  return { symbols, isComplete: symbols.every((report) => report.status !== 'failed') }
}
