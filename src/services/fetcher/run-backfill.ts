import { INTERVAL_MS, type Interval } from '../../core/contracts/primitives.ts'
import type { Quote } from '../../core/contracts/quote.ts'
import { checkQuote } from '../../core/providers/check-quote.ts'
import { providerFailure } from '../../core/providers/provider-failure.ts'
import type { Bus } from '../../platform/bus/bus.ts'
import type { ProviderAttempt } from './fetch-quotes.ts'
import type { Provider, ProviderName, TimeRange } from './providers/provider.ts'
import { publishQuotes } from './publish-quotes.ts'

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
  readonly onBarsFound?: (symbol: string, count: number) => void
  readonly onPublished?: (symbol: string, count: number) => void
}

export interface SymbolBackfill {
  readonly symbol: string
  readonly provider?: ProviderName
  readonly published: number
  /** Rows the provider sent that did not make a valid, complete bar, with the reason. */
  readonly rejected: readonly string[]
  readonly attempts: readonly ProviderAttempt[]
  readonly publishError?: string
}

export interface BackfillReport {
  readonly symbols: readonly SymbolBackfill[]
  readonly published: number
  readonly isComplete: boolean
}

/**
 * Publishes each symbol's historical bars within the range, oldest first, from the first provider
 * that has any (failover). Every bar is checked, and only completed bars are kept. Bars carry a
 * stable id (`source:symbol:interval:start`), so running it again republishes the same identities.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  const reports: SymbolBackfill[] = []
  for (const symbol of options.symbols) reports.push(await backfillSymbol(symbol, options))
  const published = reports.reduce((sum, report) => sum + report.published, 0)
  return {
    symbols: reports,
    published,
    isComplete: reports.every((report) => report.published > 0 && report.publishError === undefined),
  }
}

async function backfillSymbol(symbol: string, options: BackfillOptions): Promise<SymbolBackfill> {
  const attempts: ProviderAttempt[] = []
  for (const provider of options.providers) {
    if (!provider.supports(symbol)) {
      attempts.push({
        provider: provider.name,
        failure: providerFailure('unsupported', `${provider.name} does not cover ${symbol}`),
      })
      continue
    }
    const history = await provider.history(symbol, options.range, options.interval)
    if (!history.ok) {
      attempts.push({ provider: provider.name, failure: history.error })
      continue
    }
    const rejected = [...history.value.rejected]
    const bars = new Map<string, Quote>()
    for (const candidate of history.value.quotes) {
      const checked = checkQuote(candidate, { nowMs: options.nowMs() })
      const at = new Date(candidate.asOf).toISOString()
      if (!checked.ok) rejected.push(`${at}: ${checked.error}`)
      else if (candidate.asOf < options.range.fromMs || candidate.asOf > options.range.toMs) continue
      else if (candidate.asOf + INTERVAL_MS[options.interval] > options.nowMs())
        rejected.push(`${at}: bar not complete yet`)
      else bars.set(checked.value.id, checked.value)
    }
    if (bars.size === 0) {
      attempts.push({
        provider: provider.name,
        failure: providerFailure('not-found', `${provider.name}: no bars in the range`),
      })
      continue
    }
    const ordered = [...bars.values()].sort((a, b) => a.asOf - b.asOf)
    options.onBarsFound?.(symbol, ordered.length)
    const base = { symbol, provider: provider.name, rejected, attempts }
    let published = 0
    const batchSize = options.batchSize ?? 500
    for (let start = 0; start < ordered.length; start += batchSize) {
      const batch = ordered.slice(start, start + batchSize)
      try {
        await publishQuotes(options.bus, options.topicPrefix, batch)
      } catch (error) {
        const publishError = `not acknowledged by the broker: ${error instanceof Error ? error.message : String(error)}`
        return { ...base, published, publishError }
      }
      published += batch.length
      options.onPublished?.(symbol, batch.length)
    }
    return { ...base, published }
  }
  return { symbol, published: 0, rejected: [], attempts }
}
