import type { Quote } from '../../core/contracts/quote.ts'
import { checkQuote } from '../../core/providers/check-quote.ts'
import { providerFailure, type ProviderFailure } from '../../core/providers/provider-failure.ts'
import type { Provider, ProviderName } from './providers/provider.ts'

export interface ProviderAttempt {
  readonly provider: ProviderName
  readonly failure: ProviderFailure
}

/** What happened to one symbol: its checked quote, and why each provider tried before it failed. */
export interface SymbolOutcome {
  readonly symbol: string
  readonly quote?: Quote
  readonly attempts: readonly ProviderAttempt[]
}

export interface FetchQuotesOptions {
  readonly nowMs: () => number
  /** A live quote older than this is stale (replays are exempt). */
  readonly maxAgeMs: number
}

/**
 * Asks the providers in order for every symbol still without a quote (failover), checks each quote
 * before accepting it (a price of 0 or NaN, or a stale or future time, counts as that provider's
 * failure), and returns one outcome per symbol. A provider that throws fails only its own symbols.
 */
export async function fetchQuotes(
  symbols: readonly string[],
  providers: readonly Provider[],
  options: FetchQuotesOptions,
): Promise<SymbolOutcome[]> {
  const quotes = new Map<string, Quote>()
  const attempts = new Map<string, ProviderAttempt[]>(symbols.map((symbol) => [symbol, []]))
  const fail = (symbol: string, provider: ProviderName, failure: ProviderFailure): void => {
    attempts.get(symbol)?.push({ provider, failure })
  }
  for (const provider of providers) {
    const pending = symbols.filter((symbol) => !quotes.has(symbol))
    const asked = pending.filter((symbol) => provider.supports(symbol))
    for (const symbol of pending.filter((symbol) => !provider.supports(symbol))) {
      fail(symbol, provider.name, providerFailure('unsupported', `${provider.name} does not cover ${symbol}`))
    }
    if (asked.length === 0) continue
    let outcomes: Awaited<ReturnType<Provider['quote']>>
    try {
      outcomes = await provider.quote(asked)
    } catch (error) {
      const failure = providerFailure(
        'transient',
        `${provider.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      )
      for (const symbol of asked) fail(symbol, provider.name, failure)
      continue
    }
    for (const symbol of asked) {
      const outcome = outcomes.get(symbol)
      if (outcome === undefined) {
        fail(
          symbol,
          provider.name,
          providerFailure('invalid', `${provider.name} returned nothing for ${symbol}`),
        )
      } else if (!outcome.ok) {
        fail(symbol, provider.name, outcome.error)
      } else {
        const checked = checkQuote(outcome.value, {
          nowMs: options.nowMs(),
          maxAgeMs: provider.isReplay ? undefined : options.maxAgeMs,
        })
        if (checked.ok) quotes.set(symbol, checked.value)
        else fail(symbol, provider.name, providerFailure('invalid', `not a valid quote: ${checked.error}`))
      }
    }
  }
  return symbols.map((symbol) => {
    const quote = quotes.get(symbol)
    const tried = attempts.get(symbol) ?? []
    return quote === undefined ? { symbol, attempts: tried } : { symbol, quote, attempts: tried }
  })
}
