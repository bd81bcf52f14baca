// Fixtures for the bar builder's tests only: no production code imports this file.
import type { Bar } from '../contracts/bar.ts'
import type { Interval } from '../contracts/primitives.ts'
import { quoteSchema, type Quote } from '../contracts/quote.ts'
import { applyQuote, type QuoteRejection } from './apply-quote.ts'
import { createBarBuilderState, type BarBuilderState } from './bar-builder-state.ts'
import { resolveBarConfig, type BarConfig, type BarConfigOptions } from './resolve-bar-config.ts'

export function config(options: BarConfigOptions): BarConfig {
  const resolved = resolveBarConfig(options)
  if (!resolved.ok) throw new Error(resolved.error)
  return resolved.value
}

/** A live snapshot at an ISO instant; `fields` may add the day's open/high/low and cumulative volume. */
export function snapshot(id: string, at: string, price: number, fields: Partial<Quote> = {}): Quote {
  const asOf = Date.parse(at)
  return {
    schema: 1,
    id,
    symbol: 'AAPL',
    exchange: 'NASDAQ',
    currency: 'USD',
    kind: 'snapshot',
    price,
    asOf,
    fetchedAt: asOf + 1500,
    source: 'test',
    ...fields,
  }
}

/** A provider bar starting at `at` (for 1d: the trading date at 00:00 UTC). */
export function barQuote(
  interval: Interval,
  at: string,
  [open, high, low, close, volume]: readonly number[],
): Quote {
  const asOf = Date.parse(at)
  return {
    schema: 1,
    id: `test:AAPL:${interval}:${asOf}`,
    symbol: 'AAPL',
    exchange: 'NASDAQ',
    currency: 'USD',
    kind: 'bar',
    interval,
    price: close ?? 0,
    open: open ?? 0,
    high: high ?? 0,
    low: low ?? 0,
    volume: volume ?? 0,
    asOf,
    fetchedAt: asOf + 86_400_000,
    source: 'test',
  }
}

export interface Fed {
  readonly state: BarBuilderState
  readonly bars: Bar[]
  readonly rejected: QuoteRejection[]
}

/** Applies quotes in order (each checked against the Quote contract first), collecting the output. */
export function feed(
  quotes: readonly Quote[],
  barConfig: BarConfig,
  from = createBarBuilderState('AAPL'),
): Fed {
  const bars: Bar[] = []
  const rejected: QuoteRejection[] = []
  let state = from
  for (const quote of quotes) {
    if (!quoteSchema.safeParse(quote).success)
      throw new Error(`test quote ${quote.id} breaks the Quote contract`)
    const out = applyQuote(state, quote, barConfig)
    state = out.state
    bars.push(...out.completed)
    if (out.rejected !== null) rejected.push(out.rejected)
  }
  return { state, bars, rejected }
}

/** A bar literal: `at` is the start, `ohlcv` its values. */
export function expectedBar(
  interval: Interval,
  at: string,
  endAt: string,
  [open, high, low, close, volume]: readonly number[],
  count: number,
): Bar {
  return {
    schema: 1,
    symbol: 'AAPL',
    interval,
    start: Date.parse(at),
    end: Date.parse(endAt),
    open: open ?? 0,
    high: high ?? 0,
    low: low ?? 0,
    close: close ?? 0,
    volume: volume ?? 0,
    count,
  }
}
