import type { Command } from 'commander'
import { BUS_SETTINGS } from '../../platform/bus/create-bus.ts'

/** Settings every fetcher command reads: the broker, the providers and how to talk to them. */
export const PROVIDER_SETTINGS = [
  ...BUS_SETTINGS,
  'topicPrefix',
  'partitions',
  'symbols',
  'provider',
  'alphaVantageKey',
  'requestTimeoutMs',
  'retries',
  'maxRetryWaitMs',
  'requestBudget',
  'requestBudgetWindowSec',
  'replayFrom',
  'yahooBaseUrl',
  'stooqBaseUrl',
  'alphavantageBaseUrl',
  'pseBaseUrl',
  'logLevel',
  'logFormat',
] as const

export const FETCH_SETTINGS = [
  ...PROVIDER_SETTINGS,
  'maxQuoteAgeSec',
  'watchIntervalSec',
  'extraClosures',
  'replaySpeed',
  'healthPort',
  'healthHost',
  'summaryEverySec',
] as const
export const BACKFILL_SETTINGS = [...PROVIDER_SETTINGS, 'from', 'to', 'interval'] as const

/** A configuration problem: the message names the setting; exit code 2. */
export function exitWithUsageError(command: Command, message: string): never {
  process.stderr.write(`quotecast ${command.name()}: ${message}\n`)
  process.exit(2)
}
