import { INTERVAL_MS, type Interval } from '../../core/contracts/primitives.ts'
import type { Quote } from '../../core/contracts/quote.ts'
import { checkQuote } from '../../core/providers/check-quote.ts'
import { providerFailure } from '../../core/providers/provider-failure.ts'
import type { ProviderAttempt } from './fetch-quotes.ts'
import { hasFetchableSession } from './has-fetchable-session.ts'
import { HISTORY_LIMITS } from './history-limits.ts'
import type { Provider, TimeRange } from './providers/provider.ts'
import { publishQuotes } from './publish-quotes.ts'
import type { BackfillOptions, SymbolBackfill } from './run-backfill.ts'
import { splitRange } from './split-range.ts'

/** The first instant after `last` that the stream is missing: after its bar, or just after a snapshot. */
function resumeAt(last: Quote | undefined, interval: Interval, fromMs: number): number {
  if (last === undefined) return fromMs
  const next =
    last.kind === 'bar' && last.interval === interval ? last.asOf + INTERVAL_MS[interval] : last.asOf + 1
  return Math.max(fromMs, next)
}

/** The window's checked, completed bars within it by id, oldest first; the others as rejections. */
function keepBars(
  quotes: readonly Quote[],
  window: TimeRange,
  options: BackfillOptions,
  rejected: string[],
): Quote[] {
  const bars = new Map<string, Quote>()
  for (const candidate of quotes) {
    const checked = checkQuote(candidate, { nowMs: options.nowMs() })
    const at = new Date(candidate.asOf).toISOString()
    if (!checked.ok) rejected.push(`${at}: ${checked.error}`)
    else if (candidate.asOf < window.fromMs || candidate.asOf > window.toMs) continue
    else if (candidate.asOf + INTERVAL_MS[options.interval] > options.nowMs())
      rejected.push(`${at}: bar not complete yet`)
    else bars.set(checked.value.id, checked.value)
  }
  return [...bars.values()].sort((a, b) => a.asOf - b.asOf)
}

/** Backfills one symbol from where the stream is (`last`) to the range's end; see runBackfill. */
export async function backfillSymbol(
  symbol: string,
  last: Quote | undefined,
  options: BackfillOptions,
): Promise<SymbolBackfill> {
  const { interval } = options
  const isStopped = (): boolean => options.signal?.aborted === true
  const attempts: ProviderAttempt[] = []
  const rejected: string[] = []
  let cursor = resumeAt(last, interval, options.range.fromMs)
  let published = 0
  let lastPublished: number | undefined
  let used: Provider | undefined
  let unavailable: TimeRange | undefined
  const remaining = (): TimeRange => ({ fromMs: cursor, toMs: options.range.toMs })
  const report = (status: SymbolBackfill['status'], extra: Partial<SymbolBackfill> = {}): SymbolBackfill => ({
    symbol,
    status,
    ...(used === undefined ? {} : { provider: used.name }),
    published,
    rejected,
    attempts,
    ...(last === undefined ? {} : { resumedAfter: last.asOf }),
    ...(lastPublished === undefined ? {} : { lastPublished }),
    ...(status === 'complete' || status === 'up-to-date' ? {} : { remaining: remaining() }),
    ...(unavailable === undefined ? {} : { unavailable }),
    ...extra,
  })
  if (cursor > options.range.toMs || !hasFetchableSession(symbol, remaining(), interval, options.nowMs()))
    return report('up-to-date')
  for (const provider of options.providers) {
    if (isStopped()) return report('interrupted')
    if (!provider.supports(symbol)) {
      attempts.push({
        provider: provider.name,
        failure: providerFailure('unsupported', `${provider.name} does not cover ${symbol}`),
      })
      continue
    }
    const limit = HISTORY_LIMITS[provider.name][interval]
    const split = splitRange(remaining(), limit, options.nowMs())
    if (split.windows.length === 0) {
      const days = Math.round((limit.maxAgeMs ?? 0) / INTERVAL_MS['1d'])
      const message = `${provider.name}: ${interval} bars only for the last ${days} days`
      attempts.push({ provider: provider.name, failure: providerFailure('unsupported', message) })
      continue
    }
    const startedAt = cursor
    const windows = split.windows.filter((window) =>
      hasFetchableSession(symbol, window, interval, options.nowMs()),
    )
    options.onPlan?.(symbol, provider.name, windows.length)
    let fromProvider = 0
    let failed = false
    for (const [index, window] of windows.entries()) {
      if (isStopped()) return report('interrupted')
      const history = await provider.history(symbol, window, interval)
      if (isStopped()) return report('interrupted')
      if (!history.ok) {
        attempts.push({ provider: provider.name, failure: history.error })
        failed = true
        break
      }
      rejected.push(...history.value.rejected)
      const bars = keepBars(history.value.quotes, window, options, rejected)
      const batchSize = options.batchSize ?? 500
      for (let start = 0; start < bars.length; start += batchSize) {
        const batch = bars.slice(start, start + batchSize)
        try {
          await publishQuotes(options.bus, options.topicPrefix, batch)
        } catch (error) {
          used = provider
          const message = error instanceof Error ? error.message : String(error)
          return report('failed', { publishError: `not acknowledged by the broker: ${message}` })
        }
        published += batch.length
        fromProvider += batch.length
        lastPublished = batch.at(-1)?.asOf
        used = provider
      }
      cursor = window.toMs + 1
      options.onWindow?.({
        symbol,
        provider: provider.name,
        window: index + 1,
        windows: windows.length,
        range: window,
        bars: bars.length,
        published,
      })
    }
    if (failed) continue
    // This provider had nothing: what an earlier one published before failing does not complete the range.
    if (fromProvider === 0) {
      attempts.push({
        provider: provider.name,
        failure: providerFailure('not-found', `${provider.name}: no bars in the range`),
      })
      cursor = startedAt
      continue
    }
    if (fromProvider > 0) unavailable = split.unavailable
    cursor = options.range.toMs + 1
    return report('complete')
  }
  return report(isStopped() ? 'interrupted' : 'failed')
}
