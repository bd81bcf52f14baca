import type { Config } from '../../platform/config/load-config.ts'
import type { Logger } from '../../platform/logger/create-logger.ts'
import type { Clock } from './clock.ts'
import type { FetchLike } from './http-get.ts'
import { createProviderHttp } from './provider-http.ts'
import { createAlphaVantageProvider } from './providers/create-alpha-vantage-provider.ts'
import { createPseProvider } from './providers/create-pse-provider.ts'
import { createReplayProvider } from './providers/create-replay-provider.ts'
import { createStooqProvider } from './providers/create-stooq-provider.ts'
import { createYahooProvider } from './providers/create-yahoo-provider.ts'
import { loadReplaySeries } from './providers/load-replay-series.ts'
import type { Provider } from './providers/provider.ts'
import { createRequestBudget } from './request-budget.ts'

export type ProviderSettings =
  | 'provider'
  | 'alphaVantageKey'
  | 'requestTimeoutMs'
  | 'retries'
  | 'maxRetryWaitMs'
  | 'requestBudget'
  | 'requestBudgetWindowSec'
  | 'replayFrom'
  | 'yahooBaseUrl'
  | 'stooqBaseUrl'
  | 'alphavantageBaseUrl'
  | 'pseBaseUrl'

export interface ProviderEnvironment {
  readonly clock: Clock
  readonly fetch?: FetchLike
  readonly random?: () => number
  readonly signal?: AbortSignal
  readonly logger?: Logger
  /** The replay continues after these event times, by symbol (where the quotes topic is). */
  readonly replayAfter?: ReadonlyMap<string, number>
}

const USER_AGENT = 'Mozilla/5.0 (compatible; quotecast/0.1)'

/** The configured providers, in failover order, each with its own request budget. */
export async function createProviders(
  config: Config<ProviderSettings>,
  environment: ProviderEnvironment,
): Promise<Provider[]> {
  const { clock } = environment
  const http = (provider: string) =>
    createProviderHttp({
      provider,
      fetch: environment.fetch ?? fetch,
      clock,
      random: environment.random ?? Math.random,
      budget: createRequestBudget({
        maxRequests: config.requestBudget.byProvider[provider] ?? config.requestBudget.all,
        windowMs: config.requestBudgetWindowSec * 1000,
        clock,
      }),
      timeoutMs: config.requestTimeoutMs,
      retries: config.retries,
      backoff: { baseMs: 500, maxMs: 8000 },
      maxRetryWaitMs: config.maxRetryWaitMs,
      headers: { 'user-agent': USER_AGENT, accept: 'application/json, text/csv;q=0.9, */*;q=0.5' },
      ...(environment.signal ? { signal: environment.signal } : {}),
      onRetry: (event) =>
        environment.logger?.warn(
          {
            provider: event.provider,
            what: event.what,
            attempt: event.attempt,
            waitMs: event.waitMs,
            failure: event.failure,
          },
          'retrying',
        ),
    })
  const providers: Provider[] = []
  for (const name of config.provider) {
    if (name === 'replay')
      providers.push(
        createReplayProvider({
          series: await loadReplaySeries(),
          clock,
          fromMs: config.replayFrom,
          startAfter: environment.replayAfter,
        }),
      )
    if (name === 'yahoo')
      providers.push(createYahooProvider({ http: http(name), clock, baseUrl: config.yahooBaseUrl }))
    if (name === 'stooq')
      providers.push(createStooqProvider({ http: http(name), clock, baseUrl: config.stooqBaseUrl }))
    if (name === 'pse')
      providers.push(createPseProvider({ http: http(name), clock, baseUrl: config.pseBaseUrl }))
    if (name === 'alphavantage') {
      providers.push(
        createAlphaVantageProvider({
          http: http(name),
          clock,
          apiKey: config.alphaVantageKey ?? '',
          baseUrl: config.alphavantageBaseUrl,
        }),
      )
    }
  }
  return providers
}
