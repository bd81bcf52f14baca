import { Counter, Gauge, type Registry } from 'prom-client'
import type { FetchReport } from './run-fetch-once.ts'

/** Counts of the watching fetcher's work: quotes by outcome, provider failures by kind, last fetch time. */
export function createFetcherMetrics(registry: Registry): {
  record(report: FetchReport, nowMs: number): void
} {
  const quotes = new Counter({
    name: 'quotecast_fetcher_quotes_total',
    help: 'Symbols fetched, by outcome: published, unchanged (not republished), failed',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const failures = new Counter({
    name: 'quotecast_fetcher_provider_failures_total',
    help: 'Provider failures, by provider and kind (transient, rate-limited, quota, budget, not-found, ...)',
    labelNames: ['provider', 'kind'],
    registers: [registry],
  })
  const lastFetch = new Gauge({
    name: 'quotecast_fetcher_last_fetch_seconds',
    help: 'Unix time of the last completed fetch',
    registers: [registry],
  })
  return {
    record(report, nowMs) {
      for (const entry of report.symbols) {
        quotes.inc({ outcome: entry.status })
        for (const attempt of entry.attempts)
          failures.inc({ provider: attempt.provider, kind: attempt.failure.kind })
      }
      lastFetch.set(nowMs / 1000)
    },
  }
}
